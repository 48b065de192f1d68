"""Seeds the tagging vocabulary: trigger words and organisation names for every sector and
risk type. Editors own it afterwards, so only empty fields are filled: a re-run, or a
database whose editors have already written their own lists, keeps their words.

Line markers (see ingest/tagging.py): "-phrase" excludes, "?phrase" is weak, a quoted
phrase matches that exact word form, capitals-only words match only in capitals.
Sources of facts: MISP's sector list and the Reference Security Incident Taxonomy, in our
own words, and the names of organisations in publicly reported incidents.
"""

from django.db import migrations

SECTORS = {
    "healthcare": (
        """
hospital
university hospital
teaching hospital
hospital trust
NHS
NHS trust
health board
health service
health system
health authority
healthcare
health care
healthcare provider
clinic
GP
GP surgery
GP practice
doctors' surgery
general practice
medical practice
patient
patient record
medical record
health record
medical
clinical
ambulance
ambulance service
paramedic
A&E
emergency department
pharmacy
pharmacist
pharmaceutical
pharma
drugmaker
drug maker
drug company
vaccine
care home
nursing home
care provider
social care
hospice
dental
dentist
dental practice
optician
nurse
doctor
physician
surgeon
pathology
blood test
radiology
maternity
mental health
psychotherapy
therapist
prescription
health insurer
health plan
health provider
behavioral health
behavioural health
senior living
assisted living
retirement home
elderly care
care facility
medical center
medical centre
physician group
NHS 111
111 service
medical device
?laboratory
?lab
?health
?care
?wellness
""",
        """
NHS England
NHS Digital
NHS Scotland
Health Service Executive
HSE
Synnovis
Change Healthcare
UnitedHealth
Kaiser Permanente
Ascension
CommonSpirit
Scripps Health
SingHealth
Vastaamo
Merck
Pfizer
AstraZeneca
Moderna
Dr Reddy's
Medibank
Anthem
Adastra
Kaiser
HCA Healthcare
Universal Health Services
Ardent Health
Prospect Medical
Lehigh Valley Health Network
MultiCare
Premera
Community Health Systems
Quest Diagnostics
LabCorp
Banner Health
Elevance
CVS
Walgreens
Rite Aid
Optum
Barts Health
NHS Dumfries and Galloway
Sky Lakes
""",
    ),
    "financial-services": (
        """
bank
banking
banker
online banking
central bank
building society
credit union
lender
payday lender
mortgage lender
mortgage
?loan
insurer
insurance
insurance company
reinsurer
underwriter
broker
brokerage
stockbroker
stock exchange
trading platform
trading app
trading firm
?investment
investment firm
investment manager
investment bank
asset manager
fund manager
wealth manager
asset management
wealth management
investment management
fund management
pension provider
pensions firm
hedge fund
pension fund
financial services
financial institution
financial firm
financial adviser
financial advisor
fintech
payments firm
payments company
payment processor
payments processor
payment provider
card issuer
card network
payment card network
payment network
title company
title insurer
-real estate brokerage
-property brokerage
cryptocurrency exchange
crypto exchange
crypto platform
cryptocurrency platform
cryptocurrency firm
cryptocurrency company
crypto firm
crypto lender
decentralised finance
decentralized finance
DeFi
blockchain bridge
bureau de change
foreign exchange
forex
credit reporting agency
credit bureau
credit reference agency
ATM
cash machine
SWIFT
-bank holiday
-bank details
-bank account
-bank accounts
-bank transfer
-banking details
-bank account details
-national insurance
-national insurance number
-insurance number
-cyber insurance
-access broker
-initial access broker
-access brokers
-banking trojan
-banking malware
-blood bank
-food bank
-data bank
""",
        """
Equifax
Experian
TransUnion
Capital One
Travelex
Morgan Stanley
Robinhood
CNA Financial
Bangladesh Bank
ION Trading
ION Group
Lloyd's of London
Lloyds Banking Group
Lloyds Bank
NatWest
Barclays
HSBC
Santander
Metro Bank
Monzo
Revolut
PayPal
Visa
Mastercard
JPMorgan
JPMorgan Chase
Bank of America
Wells Fargo
Citigroup
Goldman Sachs
Flagstar
First American
Coinbase
Binance
Bybit
Prudential
Aviva
Zurich
AXA
Allianz
Desjardins
Heartland Payment Systems
Global Payments
Cash App
Bank of Ireland
TSB
Standard Chartered
Mr. Cooper
loanDepot
Fidelity
Charles Schwab
Nationwide Building Society
MetLife
AIG
Chubb
Coincheck
FTX
Poly Network
Ronin Network
""",
    ),
    "public-sector": (
        """
council
borough council
county council
city council
district council
parish council
town hall
local authority
local government
?government
government department
government agency
federal agency
state agency
public body
public sector
public service
civil service
civil servant
ministry
?municipal
municipality
city government
state government
federal government
?police
police force
police service
constabulary
?court
tribunal
judiciary
?prison
inmate
sheriff
sheriff's office
law enforcement
patrol car
police car
911 dispatch
911 call
emergency dispatch
?city
city website
unemployment
unemployment system
benefits system
township
borough
parish
county government
village council
DMV
department of motor vehicles
motor vehicles
public library
county library
city library
national library
department for
department of
border agency
border force
customs authority
customs agency
customs service
customs officers
immigration
passport office
?agency
?authority
?county
parliament
MP
MPs
senate
congress
armed forces
army
navy
air force
national guard
defence ministry
ministry of defence
department of defense
electoral commission
electoral register
election
voter
benefit claimant
claimant
benefits agency
welfare
social worker
social services
job centre
tax authority
embassy
diplomat
state department
emergency services
fire service
city of
-city of london
attorney general
-government hackers
-government backed
-government-backed
-chinese government
-russian government
-north korean government
-iranian government
-government of china
-government of russia
""",
        """
HMRC
Home Office
Cabinet Office
Ministry of Defence
MoD
Pentagon
Department of Defense
State Department
Treasury
Office of Personnel Management
OPM
Electoral Commission
Police Service of Northern Ireland
PSNI
Metropolitan Police
Met Police
Scottish Environment Protection Agency
SEPA
Environment Agency
DWP
HMCTS
Legal Aid Agency
Bundestag
European Commission
Hackney Council
Redcar and Cleveland
Copeland
Gloucester City Council
Los Angeles County
City of Dallas
Suffolk County
Department of Homeland Security
Department of Energy
NASA
Bundeswehr
Costa Rican government
""",
    ),
    "education": (
        """
school
primary school
secondary school
high school
academy trust
multi-academy trust
school district
college
university
campus
student
pupil
teacher
headteacher
head teacher
lecturer
professor
education
educational
higher education
further education
sixth form
nursery
kindergarten
exam
exam board
tuition
academic
edtech
research institute
research university
school of medicine
-university hospital
-university hospitals
-teaching hospital
-department for education
-department of education
-ministry of education
-education department
-education secretary
-college hospital
""",
        """
University of Manchester
UCSF
PowerSchool
Illuminate Education
Jisc
Harvard
MIT
Lincoln College
Los Angeles Unified School District
LAUSD
University of California
Stanford
Maastricht University
Newcastle University
University of Hertfordshire
University of Salford
Howard University
""",
    ),
    "energy-utilities": (
        """
energy
energy company
energy supplier
energy firm
electricity
electricity supplier
power company
power supplier
power grid
electricity grid
national grid
power station
power plant
nuclear
nuclear plant
nuclear power plant
utility
utilities
water company
water utility
water supplier
water treatment
water treatment plant
water district
water board
water authority
water services
wastewater
sewage
gas
gas network
gas supplier
gas distribution
oil
oil company
oil and gas
oil terminal
oil storage
petroleum
petrochemical
refinery
pipeline
fuel pipeline
fuel terminal
fuel depot
fuel distributor
mining
mining company
mine operator
coal
renewable
wind farm
wind turbine
solar
substation
?water
?power
?electric
distribution network operator
-power failure
power cut
blackout
cut power
electricity supply
-power outage
-gas station
-crypto mining
-cryptocurrency mining
-data mining
""",
        """
Colonial Pipeline
Saudi Aramco
Aramco
South Staffs Water
South Staffordshire Water
Southern Water
Thames Water
Severn Trent
EDF
National Grid
SSE
Npower
British Gas
Centrica
Shell
BP
Enercon
Ukrenergo
Oiltanking
Duke Energy
PG&E
EDP
Enel
Eletrobras
Pemex
Suncor
Petro-Canada
Southern Company
Veolia
American Water
Ofgem
""",
    ),
    "transport-logistics": (
        """
airline
airways
airport
aviation
flight
passenger
air traffic control
air traffic
rail
railway
rail operator
train operator
train operating company
railway station
metro
subway
tram
light rail
bus operator
bus company
transit
public transport
transport
transportation
shipping
shipping line
shipping company
container line
container terminal
container port
port of
port operator
port authority
seaport
harbour
ferry
cargo
vessel
logistics
logistics firm
logistics provider
logistics company
freight
freight forwarder
haulier
haulage
trucking
trucking company
?courier
?parcel
delivery company
postal service
postal operator
mail service
travel agent
travel agency
ride hailing
taxi firm
car rental
car hire
delivery driver
delivery van
courier driver
lorry driver
truck driver
vehicle rental
""",
        """
Maersk
Royal Mail
British Airways
BA
easyJet
Ryanair
Cathay Pacific
Expeditors
DP World
Toll
Toll Group
CMA CGM
Network Rail
Transport for London
TfL
Northern Rail
Canada Post
FedEx
TNT
DHL
NATS
Heathrow
Gatwick
Evri
Muni
Port of Seattle
Aer Lingus
Qantas
Air India
Delta Air Lines
United Airlines
American Airlines
Southwest Airlines
Deutsche Bahn
SNCF
Eurostar
Yodel
UPS
""",
    ),
    "manufacturing": (
        """
manufacturer
manufacturing
factory
production plant
production line
processing plant
manufacturing plant
assembly line
carmaker
car maker
car manufacturer
car plant
car factory
car part
automotive supplier
parts supplier
car parts supplier
component supplier
components maker
automaker
automotive
vehicle maker
aerospace
aircraft maker
aircraft manufacturer
defence manufacturer
defence contractor
chemical company
chemical maker
chemical plant
chemical distributor
chemicals
steel
steelworks
steel mill
steelmaker
steel maker
steel producer
blast furnace
textile
textiles
garment maker
clothing manufacturer
?maker
?producer
?farming
?farm
?agricultural
?agriculture
-pharmaceutical manufacturer
-drug manufacturer
-vaccine manufacturer
-medical device manufacturer
-drug maker
-pharmaceutical company
aluminium producer
metals
food production
food manufacturer
food processing
food company
fresh produce
meat processor
meat packer
brewer
brewery
drinks maker
snack maker
semiconductor
chip maker
chipmaker
electronics manufacturer
electronics factory
?industrial
engineering firm
engineering company
consumer goods
cleaning products
tyre maker
toy maker
shipbuilder
?industries
?motors
?foods
?engineering
?manufacturing group
""",
        """
Norsk Hydro
JBS
Toyota
Honda
Nissan
Jaguar Land Rover
JLR
Volkswagen
Renault
Tesla
Mondelez
Clorox
Brenntag
Dole
Foxconn
FACC
Kojima Industries
Bridgestone
Boeing
Airbus
ThyssenKrupp
Johnson Controls
Nucor
Applied Materials
TSMC
Yanfeng
Volvo
BMW
Mercedes-Benz
Ford
General Motors
Stellantis
Bosch
Hyundai
Kia
Asahi
Heineken
Molson Coors
Tyson Foods
Schreiber Foods
Dr. Oetker
Kojima
""",
    ),
    "retail-hospitality": (
        """
retailer
retail
"shop"
"shops"
"store"
"stores"
online shop
online store
online retailer
webshop
e-commerce
ecommerce
supermarket
grocer
grocery
department store
fashion retailer
sports retailer
cosmetics retailer
shopper
tills
point of sale
POS
hotel
hotel group
hotel chain
resort
casino
restaurant
restaurant chain
fast food
pub
pub chain
café
coffee chain
hospitality
leisure
gym
cinema
theme park
guest
?loyalty scheme
car dealership
dealership
gas station
petrol station
filling station
service station
convenience store
online marketplace
e-commerce platform
auction site
football club
sports club
stadium
sports team
gambling
gambling operator
betting
bookmaker
lottery
bingo
car dealer
-ticket machine
-app store
-app stores
-play store
""",
        """
Target
Marks & Spencer
M&S
Co-op
Coop
JD Sports
Wetherspoon
Tesco
Sainsbury's
Asda
Morrisons
Harrods
Currys
Argos
Boots
Ticketmaster
Marriott
Starwood
MGM Resorts
Caesars
Caesars Entertainment
Hilton
IHG
Booking.com
Home Depot
Walmart
Primark
Sports Direct
Greggs
McDonald's
Travelodge
Premier Inn
TJX
Wyndham
Hyatt
Arnold Clark
Adidas
Under Armour
Wendy's
Chipotle
Domino's
Pizza Hut
KFC
Dixons Carphone
Carphone Warehouse
Marks and Spencer
Sodexo
Compass Group
""",
    ),
    "technology-media-telecoms": (
        """
?software
?software company
?software firm
?software provider
?software supplier
?software vendor
?tech company
?technology company
?technology firm
?IT services
?IT provider
?IT company
?managed service provider
?MSP
?cloud provider
?cloud service
?cloud storage provider
?data centre
?hosting company
?web hosting
?hosting provider
?cloud hosting
-malicious software
-fake software
?app developer
?media
?technologies
?tech
?digital
telecoms
telecom
telecommunications
telco
telecom carrier
mobile operator
mobile carrier
wireless carrier
cell carrier
cellular provider
mobile network
mobile phone company
phone company
internet provider
internet service provider
ISP
broadband
broadcaster
broadcasting
?television
TV channel
radio station
media company
?publisher
?newspaper
?news agency
?magazine
video game
gaming company
game developer
online gaming
gaming servers
game servers
gaming platform
streaming service
streaming platform
video streaming
music streaming
?social media
?social network
DNS provider
electronics company
""",
        """
?Microsoft
?Google
?Apple
?Amazon Web Services
?AWS
?Okta
?SolarWinds
?Kaseya
?3CX
Twitter
?Meta
Facebook
LinkedIn
Yahoo
TalkTalk
Optus
T-Mobile
Vodafone
O2
BT
EE
Sky
BBC
The Guardian
Guardian
TV5Monde
Sony Pictures
Dyn
?Cloudflare
?Salesforce
Samsung
Lee Enterprises
Blackbaud
AT&T
Verizon
Comcast
Telstra
Deutsche Telekom
Kyivstar
Nintendo
Ubisoft
Rockstar Games
Electronic Arts
CD Projekt
Twitch
Reddit
?Dropbox
?Adobe
?Atlassian
?GitHub
?GitLab
?Snowflake
Rackspace
OVHcloud
Equinix
Nvidia
?Cisco
?Ivanti
?Fortinet
?Citrix
?Progress Software
?Accellion
?CDK Global
""",
    ),
    "professional-services": (
        """
law firm
legal firm
solicitor
solicitors' firm
?lawyer
barrister
?attorney
-attorney general
legal services
accountancy
accountancy firm
accounting firm
accountant
?auditor
audit firm
tax adviser
tax consultant
consultancy
consulting firm
?consulting
management consultancy
?outsourcing
?outsourcer
?outsourcing group
business services
recruitment agency
recruitment firm
staffing firm
staffing company
staffing agency
employment agency
paralegal
legal secretary
?legal
payroll provider
payroll bureau
payroll company
call centre
marketing agency
advertising agency
PR firm
estate agent
architecture practice
architects
surveyor
surveyors
property management
estate agency
letting agent
real estate
property firm
engineering consultancy
conveyancer
LLP
Big Four
magic circle
""",
        """
Deloitte
PwC
EY
KPMG
Accenture
Capita
Mossack Fonseca
DLA Piper
Allen & Overy
Grubman Shire Meiselas
Zellis
Randstad
ManpowerGroup
Robert Half
McKinsey
Clifford Chance
Linklaters
Kroll
Ernst & Young
Appleby
Travers Smith
Gateley
Tuckers
Mishcon de Reya
Orrick
Jones Day
Gibson Dunn
Proskauer
Adecco
Hays
Serco
G4S
Computershare
ADP
Paychex
""",
    ),
}

RISK_TYPES = {
    "ransomware": (
        """
ransomware
ransom
ransom demand
ransom note
ransomware gang
ransomware group
ransomware attack
extortion
extort
double extortion
encrypted files
encrypted servers
encrypted systems
files encrypted
systems encrypted
servers encrypted
encrypt
locked files
leak site
decryption key
decryptor
crypto ransomware
paid attackers
paid the attackers
paid a ransom
deploying encryption
deployed encryption
encryptor
decryption tool
demanding payment
demanded payment
payment demand
systems locked
locked systems
locked out of systems
-encrypted laptop
-encrypted laptops
-encrypted device
-encrypted devices
-encrypted usb
-encrypted memory stick
-encrypted hard drive
-encrypted phone
-encrypted drive
-encrypted email
-end-to-end encrypted
-encrypted connection
-encrypted messaging
""",
        """
LockBit
Conti
REvil
Sodinokibi
DarkSide
BlackMatter
BlackCat
ALPHV
Clop
Cl0p
Black Basta
Rhysida
Akira
Hive
Ryuk
Maze
NetWalker
Ragnar Locker
Vice Society
Qilin
DragonForce
SamSam
RobbinHood
WannaCry
LockerGoga
Ekans
Phobos
BlackSuit
Medusa
8Base
Babuk
Avaddon
Egregor
DoppelPaymer
Royal ransomware
Play ransomware
""",
    ),
    "malware": (
        """
malware
malicious software
trojan
trojanised
trojanized
banking trojan
remote access trojan
RAT
wiper
wiper malware
spyware
stalkerware
?botnet
worm
virus
computer virus
keylogger
backdoor
rootkit
infostealer
info stealer
stealer
loader
dropper
cryptominer
cryptojacking
card skimming
skimming code
skimmer
malicious code
malicious attachment
malicious script
malicious update
infected
infection
implant
computers wiped
wiped computers
destructive attack
web shell
webshell
malvertising
fake installer
fake software installer
fake software update
drive-by download
watering hole
SEO poisoning
""",
        """
Emotet
TrickBot
Qakbot
QakBot
Qbot
Dridex
Mirai
NotPetya
Shamoon
Triton
Trisis
BlackEnergy
Industroyer
Stuxnet
DTrack
Pegasus
Magecart
WhisperGate
HermeticWiper
AcidRain
Zeus
Raccoon
RedLine
Lumma
AgentTesla
Agent Tesla
""",
    ),
    "data-breach": (
        """
data breach
breach
breached
-breach of its network
-breach of the network
-breach of its it network
-breach of it network
-breach of its systems
-network breach
-breach of contract
-breach of duty
-breach of the peace
data leak
leak
leaked
exposed
exposure
data exposure
data theft
stolen data
data stolen
exfiltrated
exfiltration
personal data
personal information
personal details
customer data
customer records
patient data
sensitive data
confidential data
accessed without authorisation
accessed without authorization
unauthorised access
unauthorized access
compromised data
records exposed
records stolen
data dump
dumped online
published online
posted online
sold on the dark web
?dark web
card skimming
skimming
skimmed
skimmer
?hacking forum
discloses breach
disclosed a breach
discloses data breach
breach notification
notifies patients of breach
security breach
-leaked passwords
-leaked password
-leaked credentials
-leaked login details
-exposed credentials
-exposed RDP
-exposed to the internet
-internet-exposed
-exposed server
-exposed servers
-exposed port
-exposed ports
-exposed service
-exposed services
""",
        "",
    ),
    "ddos": (
        """
DDoS
DoS
denial of service
distributed denial of service
denial of service attack
flooded with traffic
flood of traffic
junk traffic
bogus traffic
traffic flood
volumetric attack
botnet traffic
overwhelmed with requests
Tbps
Gbps
terabits per second
gigabits per second
requests per second
junk requests
?overwhelmed
?botnet
""",
        """
Killnet
NoName057(16)
Anonymous Sudan
""",
    ),
    "phishing": (
        """
phishing
phish
phishing email
phishing emails
phishing campaign
phishing text
spear phishing
spear-phishing
smishing
vishing
whaling
social engineering
socially engineered
social engineer
pretexting
pretext
business email compromise
BEC
CEO fraud
invoice fraud
mandate fraud
payment diversion
payroll diversion
fake invoice
spoofed email
spoofed
impersonate
impersonating
impersonation
?posing as
pretending to be
pretending to come from
pretend to be
tricked
duped
fooled
fell for
conned
scam email
fraudulent email
bogus email
fake login page
fake website
fake job offer
lure
password reset email
bogus password reset
?posed as
?masquerading as
purporting to be
appeared to come from
appearing to come from
claiming to be
?fraudster
?fraudsters
?scam
?scammer
scam text
fake text
fake message
fake email
bogus invoice
fraudulent invoice
fraudulent instructions
fake bank details
changed bank details
voice phishing
deepfake
deepfake video
quishing
QR code phishing
malicious link
malicious links
clicked a link
clicked on a link
credential harvesting
harvesting credentials
fake login
fake sign-in page
fake Microsoft
spoofed domain
lookalike domain
typosquatting
fake document sharing
fake sharing page
fake page
spoofed page
fake portal
fake sign in
credential phishing
wire fraud
wire transfer fraud
fraudulent wire
fraudulent transfer
MFA fatigue
?help desk
""",
        """
Scattered Spider
""",
    ),
    "account-compromise": (
        """
credential stuffing
credential theft
stolen credentials
compromised credentials
leaked credentials
stolen passwords
stolen password
reused passwords
password reuse
weak password
weak passwords
brute force
brute-force attack
password spraying
password spray
account takeover
account hijacking
hijacked account
hijacked accounts
took over accounts
compromised account
compromised accounts
compromised mailbox
mailbox compromise
email account compromise
login details
SIM swap
SIM swapping
MFA bombing
no multi-factor authentication
without multi-factor authentication
lacked multi-factor authentication
without two-factor
no two-factor
infostealer logs
session hijacking
forged token
forged authentication
unauthorised login
unauthorized login
suspicious login
MFA bypass
session token
token theft
stolen session
dictionary attack
default password
default credentials
credential compromise
compromised login
initial access broker
access broker
sold access
selling access
ATO
accessed remotely
remotely accessed
email compromised
email account compromised
mailbox compromised
-business email compromise
account breach
accounts breached
compromised user accounts
unauthorised access to accounts
unauthorized access to accounts
gained access to email
email intrusion
email hacked
emails hacked
email account hacked
hacked email
hacked email account
-"accounting"
-"accountant"
-"accountants"
""",
        """
Storm-0558
""",
    ),
    "vulnerability-exploit": (
        """
vulnerability
vulnerabilities
?vulnerable
flaw
security flaw
security hole
bug
zero-day
zero day
0-day
unpatched
patch
exploit
exploited
exploitation
known vulnerability
outdated software
outdated plugin
remote code execution
RCE
SQL injection
SQLi
cross-site scripting
XSS
path traversal
authentication bypass
unauthenticated
proof of concept
CVE
""",
        """
Log4Shell
Log4j
ProxyLogon
ProxyShell
EternalBlue
Heartbleed
Citrix Bleed
MOVEit
""",
    ),
    "supply-chain": (
        """
supply chain attack
backdoor in updates
backdoored update
supply-chain attack
software supply chain
third-party breach
third party breach
supplier breach
via a supplier
through a supplier
through a third party
through a contractor
managed service provider
managed services provider
MSP
IT provider
software supplier
software provider
tampered update
hijacked update
malicious update
trojanised update
poisoned update
compromised update
third-party supplier
third-party provider
third-party contractor
-unauthorised third party
-unauthorized third party
-malicious third party
-third party actor
-unknown third party
IT outsourcer
outsourced IT provider
downstream customers
downstream victims
knock-on effect
third-party software
vendor's systems
vendor breach
supplier attack
supplier hack
via a vendor
through a vendor
compromised vendor
compromised supplier
compromised third party
third-party vendor
third party vendor
third-party app
third-party application
third-party plugin
third-party library
third-party code
third-party script
""",
        """
SolarWinds Orion
3CX
Kaseya VSA
MOVEit
Blackbaud
Synnovis
""",
    ),
    "insider-threat": (
        """
insider
insider threat
rogue employee
rogue staff
disgruntled
disgruntled employee
former employee
ex-employee
former staff
ex-staff
former worker
former contractor
employee misconduct
snooping
snooped
without a clinical reason
no clinical reason
no business reason
personal email account
to his personal account
to her personal account
personal account
personal email
personal gmail
home email
embezzle
embezzlement
inappropriately accessed
improperly accessed
accessed without a business need
without a legitimate reason
no legitimate reason
without a business reason
colluded
collusion
bribed
sabotage
""",
        "",
    ),
    "human-error": (
        """
human error
misconfigured
misconfiguration
misconfigure
wrongly configured
incorrectly configured
configuration error
left open
left unprotected
unprotected database
unprotected server
unprotected
open to anyone
open to the public
publicly exposed
storage bucket
unsecured
unsecured database
unsecured server
open database
publicly accessible
open to the internet
without a password
no password
open bucket
S3 bucket
misdirected
misdelivered
misdelivery
wrong recipient
wrong recipients
wrong address
wrong addresses
wrong customer
wrong customers
wrong client
by mistake
mistakenly
in error
accidentally
accidental
accidental disclosure
accidental publication
by accident
inadvertently
CC field
To field
email addresses visible
not redacted
unredacted
hidden tab
coding error
programming error
show other customers
see other customers
see other users
show other users
other customers' details
other customers' data
other customers' accounts
other users' data
other users' details
other patients' data
other patients' records
other patients' details
other clients' data
other clients' details
error exposed
error that exposed
to other patients
to other customers
to other users
to other clients
anyone on the internet
anyone could open
configured as public
set to public
publicly readable
public bucket
previous address
previous addresses
old address
former address
public link
publicly shared link
hidden personal data
hidden data
hidden columns
hidden rows
hidden sheet
FOI response
freedom of information response
CC line
in the CC
cc'd
instead of BCC
visible email addresses
""",
        "",
    ),
    "physical-loss": (
        """
lost laptop
stolen laptop
laptop stolen
laptop was stolen
lost phone
stolen phone
lost USB
lost memory stick
lost hard drive
missing hard drive
lost in the post
lost paperwork
paper records
paper files
unencrypted laptop
unencrypted memory stick
unencrypted USB
burglary
left on a train
left in a taxi
dumped in a skip
stolen from a car
stolen from his car
stolen from her car
not wiped
taken from a car
lost in the mail
lost in transit
improper disposal
unshredded
misplaced
mislaid
went missing
files left behind
documents left behind
records left behind
papers left behind
dumpster
in a dumpster
in the trash
in a bin
in a skip
rubbish bin
recycling bin
without being wiped
""",
        "",
    ),
    "espionage": (
        """
espionage
cyber espionage
spying
spy
spies
spied
state-sponsored
state sponsored
state-backed
state backed
state-linked
nation-state
nation state
state actor
state hackers
government hackers
government-backed
APT
advanced persistent threat
intelligence service
military intelligence
foreign intelligence
hostile state
hostile actors
trade secrets
industrial espionage
North Korean IT workers
North Korean IT worker
fake IT workers
DPRK
PRC
PLA
cyber spies
cyberspies
spy ring
intelligence gathering
Kremlin-backed
Beijing-backed
state-aligned
government-linked
China-nexus
-Russian-speaking
-Russian speaking
cyberespionage
espionage group
foreign government
foreign state
hostile state actor
intelligence agency
spy agency
secret service
Ministry of State Security
?surveillance
-pro-Russian
-pro Russian
""",
        """
Lazarus
Lazarus Group
Sandworm
Fancy Bear
Cozy Bear
Turla
Hafnium
Volt Typhoon
Salt Typhoon
Silk Typhoon
Flax Typhoon
Midnight Blizzard
Nobelium
Kimsuky
Andariel
Charming Kitten
APT28
APT29
APT40
APT41
GRU
FSB
SVR
MSS
Storm-0558
Equation Group
Gamaredon
Mustang Panda
Winnti
OceanLotus
Ocean Lotus
Star Blizzard
Forest Blizzard
Seashell Blizzard
Cadet Blizzard
BlueNoroff
ScarCruft
MuddyWater
OilRig
Dragonfly
Energetic Bear
Berserk Bear
Unit 61398
Unit 26165
Unit 74455
""",
    ),
    "outage": (
        """
outage
offline
taken offline
knocked offline
went offline
downtime
unavailable
service disruption
disruption
disrupted
contingency
contingency plans
business continuity
pen and paper
paper-based
on paper
by hand
manually
manual operation
manual processes
shut down
shutdown
halted
suspended
out of action
off air
went down
were down
brought down
knocked out
systems down
services down
ambulances diverted
diverted
cancelled
postponed
grounded
could not process
days without
weeks without
hours without
without its website
without email
isolated systems
isolated its systems
took systems offline
inaccessible
not available
ground to a halt
brought to a halt
closed
closure
backlog
delays
delayed
disconnected
switched off
services restored
systems restored
restore services
restoring services
back online
cut power
power cut
blackout
without power
work from home
workaround
workarounds
manual workaround
impacting operations
impacted operations
affected operations
operations affected
operations impacted
services affected
services impacted
emergency mode
reverted to
fell back
fallback
reduced service
limited service
partial outage
-offline backup
-offline backups
-offline copies
-offline copy
-offline storage
-delayed disclosure
-delayed notification
-delayed notifying
-delay in notifying
-delay in disclosing
-closed the investigation
-closed the vulnerability
-closed the loophole
-suspended the employee
-employee was suspended
-was suspended
-suspended employee
-suspended sentence
-cancelled cards
-cancelled their cards
unable to process
""",
        "",
    ),
}


def seed(apps, schema_editor):
    for model_name, table in (("Sector", SECTORS), ("RiskType", RISK_TYPES)):
        model = apps.get_model("cirsite", model_name)
        for term in model.objects.filter(slug__in=table):
            keywords, organisations = table[term.slug]
            changed = []
            if not term.keywords.strip():
                term.keywords = keywords.strip() + "\n"
                changed.append("keywords")
            if not term.organisations.strip() and organisations.strip():
                term.organisations = organisations.strip() + "\n"
                changed.append("organisations")
            if changed:
                term.save(update_fields=[*changed, "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("cirsite", "0003_seed_taxonomy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
