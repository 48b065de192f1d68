"""More demo stories, 2023 to 2025: written for cirsite, in our own words, about publicly
reported incidents. Kept apart from demo_content so each file stays readable."""

from datetime import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def paragraphs(*texts):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def fact_box(title, *facts):
    return {"type": "fact_box", "value": {"title": title, "facts": list(facts)}}


def story(slug, title, standfirst, published, authors, sectors, risk_types, tags, body, **more):
    return {
        "slug": slug,
        "title": title,
        "standfirst": standfirst,
        "published": published,
        "authors": authors,
        "sectors": sectors,
        "risk_types": risk_types,
        "tags": tags,
        "source_url": more.get("source_url", ""),
        "body": body,
        "lead": more.get("lead", False),
    }


STORIES = [
    story(
        "jaguar-land-rover-cyberattack-stops-production",
        "Jaguar Land Rover cyberattack stops car production for weeks",
        "JLR shut down its systems at the start of September 2025 to contain an attack; its "
        "UK plants stood idle for more than a month and the shock ran down its supply chain.",
        datetime(2025, 9, 30, 8, 0, tzinfo=LONDON),
        ["tom-hallam", "hannah-okafor"],
        ["manufacturing"],
        ["outage", "supply-chain"],
        ["Jaguar Land Rover", "automotive", "supplier finance", "business interruption"],
        paragraphs(
            "Jaguar Land Rover said on 2 September 2025 that a cyber incident had severely "
            "disrupted its retail and production activities, and that it had proactively shut "
            "down its systems to contain it. Its factories in Solihull, Halewood and "
            "Wolverhampton stopped building cars.",
            "The shutdown lasted well over a month. Smaller component makers that supply the "
            "plants just in time lost their main customer overnight, and the UK government "
            "announced a loan guarantee of up to £1.5bn to support JLR and, through it, its "
            "suppliers. Production restarted in phases from October.",
            "For risk managers the case is a study in accumulation: one manufacturer's outage "
            "became a cash-flow crisis for hundreds of firms that had no breach of their own.",
        )
        + [
            fact_box(
                "Key facts",
                "Incident disclosed 2 September 2025",
                "UK car production halted for more than five weeks",
                "Government loan guarantee of up to £1.5bn announced",
                "Phased restart from October 2025",
            )
        ],
        lead=True,
    ),
    story(
        "collins-aerospace-check-in-attack-disrupts-european-airports",
        "Check-in software attack disrupts Heathrow, Brussels and Berlin airports",
        "Ransomware at Collins Aerospace took down the shared MUSE check-in and boarding "
        "system, sending airlines back to handwritten boarding passes.",
        datetime(2025, 9, 22, 9, 0, tzinfo=LONDON),
        ["daniel-mercer"],
        ["transport-logistics", "technology-media-telecoms"],
        ["supply-chain", "ransomware", "outage"],
        ["Collins Aerospace", "airports", "MUSE", "aviation"],
        paragraphs(
            "From 19 September 2025 passengers at Heathrow, Brussels, Berlin Brandenburg and "
            "Dublin airports faced long queues after a cyberattack on Collins Aerospace, whose "
            "MUSE software lets many airlines share check-in desks and boarding gates.",
            "Airlines fell back on manual check-in. Brussels asked carriers to cancel a share "
            "of departures for several days. The EU's cybersecurity agency said the attack "
            "involved ransomware. Airlines with their own systems were far less affected.",
        ),
    ),
    story(
        "kido-nursery-data-stolen-by-extortion-group",
        "Nursery chain's children's records stolen by extortion group",
        "Attackers took pictures and personal details of children from the Kido nursery "
        "group in London and published samples to pressure it into paying.",
        datetime(2025, 9, 26, 10, 0, tzinfo=LONDON),
        ["priya-raman"],
        ["education"],
        ["data-breach", "ransomware"],
        ["Kido", "nurseries", "children's data", "extortion"],
        paragraphs(
            "A criminal group calling itself Radiant said in September 2025 that it had taken "
            "names, photographs, addresses and family contact details of children at Kido's "
            "London nurseries, and posted some of them online as a threat.",
            "The Metropolitan Police investigated. After widespread condemnation the group "
            "said it had deleted the data, a claim that cannot be verified. The case shows "
            "that small operators holding sensitive data on children are now targets.",
        ),
    ),
    story(
        "marks-and-spencer-online-orders-halted",
        "Marks and Spencer halts online orders after cyberattack",
        "A social-engineering attack on M&S in April 2025 stopped online clothing orders for "
        "weeks; the retailer put the hit to profit at around £300m.",
        datetime(2025, 5, 21, 8, 0, tzinfo=LONDON),
        ["tom-hallam"],
        ["retail-hospitality"],
        ["ransomware", "phishing", "outage", "data-breach"],
        ["Marks and Spencer", "Scattered Spider", "help desk", "retail"],
        paragraphs(
            "Problems began over the Easter weekend of 2025, when contactless payments and "
            "click-and-collect failed in M&S stores. On 25 April the retailer paused online "
            "and app orders for clothing and home goods.",
            "M&S later said the attackers got in through social engineering at a third party "
            "and that some customer data, such as contact details and order histories, was "
            "taken. Reports linked the attack to the group known as Scattered Spider. The "
            "company estimated a £300m impact on operating profit, partly offset by insurance.",
        )
        + [
            fact_box(
                "Key facts",
                "Online orders paused 25 April 2025",
                "Entry via social engineering of a third party",
                "Estimated £300m hit to operating profit",
            )
        ],
    ),
    story(
        "co-op-member-data-extracted",
        "Co-op confirms member data taken as attack empties shelves",
        "The Co-op shut parts of its IT estate to stop an intrusion in May 2025, but not "
        "before attackers copied data on a large number of members.",
        datetime(2025, 5, 3, 9, 0, tzinfo=LONDON),
        ["tom-hallam"],
        ["retail-hospitality"],
        ["data-breach", "outage", "phishing"],
        ["Co-op", "retail", "members", "help desk"],
        paragraphs(
            "The Co-operative Group said in early May 2025 that attackers had accessed its "
            "systems and extracted names and contact details of current and past members. "
            "Payment card and password data were not taken, it said.",
            "Pulling systems offline disrupted stock ordering, and some stores, particularly "
            "in remote areas, ran short of goods. The Co-op later told members that all 6.5 "
            "million of them had had data taken.",
        ),
    ),
    story(
        "legal-aid-agency-data-breach",
        "Legal Aid Agency breach exposes applicants' records back to 2010",
        "Attackers reached the online service that legal aid providers use, taking "
        "personal, financial and criminal-record details of people who applied for help.",
        datetime(2025, 5, 19, 11, 0, tzinfo=LONDON),
        ["priya-raman"],
        ["public-sector", "professional-services"],
        ["data-breach"],
        ["Legal Aid Agency", "Ministry of Justice", "courts"],
        paragraphs(
            "The Ministry of Justice said in May 2025 that an attack on the Legal Aid Agency's "
            "digital services, first noticed in April, was more extensive than thought. Data "
            "on applicants since 2010, including contact details, national insurance numbers, "
            "financial data and criminal records, may have been taken.",
            "The agency took its online service offline, leaving solicitors and barristers to "
            "use contingency arrangements to apply for and claim legal aid.",
        ),
    ),
    story(
        "sharepoint-toolshell-zero-day-exploited",
        "SharePoint zero-day 'ToolShell' exploited against on-premises servers",
        "Microsoft urged customers to patch on-premises SharePoint at once after attackers, "
        "including state-backed groups, exploited a remote code execution flaw.",
        datetime(2025, 7, 23, 8, 30, tzinfo=LONDON),
        ["daniel-mercer"],
        ["technology-media-telecoms", "public-sector"],
        ["vulnerability-exploit", "espionage"],
        ["Microsoft", "SharePoint", "CVE-2025-53770", "patching"],
        paragraphs(
            "In July 2025 attackers began mass exploitation of a flaw in on-premises "
            "SharePoint Server, tracked as CVE-2025-53770, that let them run code and steal "
            "the machine keys needed to keep access. SharePoint Online was not affected.",
            "Microsoft attributed some of the activity to China-based groups and released "
            "fixes for supported versions. Government bodies, universities and companies were "
            "among the victims. Rotating keys after patching was essential: patching alone "
            "did not evict an attacker who already held them.",
        ),
    ),
    story(
        "change-healthcare-ransomware-paralyses-claims",
        "Change Healthcare ransomware paralyses US pharmacy and claims payments",
        "An attack on a single payments clearing house in February 2024 left pharmacies and "
        "providers across the US unable to process claims for weeks.",
        datetime(2024, 3, 8, 9, 0, tzinfo=LONDON),
        ["tom-hallam"],
        ["healthcare", "financial-services"],
        ["ransomware", "supply-chain", "outage", "data-breach"],
        ["Change Healthcare", "UnitedHealth", "ALPHV", "claims"],
        paragraphs(
            "Change Healthcare, part of UnitedHealth Group, disconnected its systems on 21 "
            "February 2024 after a ransomware attack later claimed by the ALPHV/BlackCat group. "
            "The company processes a very large share of US medical claims.",
            "Pharmacies could not check insurance coverage and many providers went without "
            "payments for weeks. UnitedHealth confirmed it had paid a ransom and that the "
            "stolen data covered a substantial proportion of Americans. Attackers had used "
            "stolen credentials on a remote-access portal without multi-factor authentication.",
        ),
    ),
    story(
        "snowflake-customer-accounts-raided",
        "Stolen passwords open Snowflake customers' data to theft",
        "Attackers used credentials stolen by infostealer malware to log in to Snowflake "
        "customer accounts that lacked multi-factor authentication.",
        datetime(2024, 6, 12, 9, 0, tzinfo=LONDON),
        ["daniel-mercer"],
        ["technology-media-telecoms", "financial-services", "retail-hospitality"],
        ["account-compromise", "data-breach", "supply-chain"],
        ["Snowflake", "Ticketmaster", "AT&T", "MFA"],
        paragraphs(
            "In mid-2024 a financially motivated group logged in to around 165 organisations' "
            "accounts on Snowflake's cloud data platform using usernames and passwords taken "
            "by infostealer malware, sometimes years earlier. Snowflake's own systems were not "
            "breached, the company and its investigators said.",
            "Victims included Ticketmaster, Santander and AT&T, which said call and text "
            "records of nearly all its mobile customers had been taken. Snowflake then moved "
            "to make multi-factor authentication the default.",
        ),
    ),
    story(
        "bybit-loses-1-5bn-in-ether-theft",
        "Crypto exchange Bybit loses about $1.5bn in largest ever theft",
        "Attackers tampered with the wallet interface Bybit's signers used, tricking them "
        "into approving a transfer out of its cold wallet.",
        datetime(2025, 2, 24, 9, 0, tzinfo=LONDON),
        ["tom-hallam"],
        ["financial-services"],
        ["supply-chain", "malware", "espionage"],
        ["Bybit", "Lazarus", "cryptocurrency", "Safe{Wallet}"],
        paragraphs(
            "On 21 February 2025 about 400,000 ether, worth roughly $1.5bn, left Bybit's cold "
            "wallet. Investigators found that a developer machine at Safe{Wallet}, the "
            "multi-signature wallet service Bybit used, had been compromised and malicious "
            "code served to Bybit's signers.",
            "The FBI attributed the theft to North Korea's Lazarus group. Bybit stayed solvent "
            "and covered customer withdrawals with loans and reserves.",
        ),
    ),
    story(
        "coinbase-bribed-insiders-leak-customer-data",
        "Coinbase says bribed support staff leaked customer data",
        "Criminals paid contractors overseas for customer records, then demanded $20m from "
        "Coinbase, which refused and offered a reward instead.",
        datetime(2025, 5, 15, 14, 0, tzinfo=LONDON),
        ["priya-raman"],
        ["financial-services"],
        ["insider-threat", "data-breach"],
        ["Coinbase", "insiders", "customer support", "extortion"],
        paragraphs(
            "Coinbase disclosed in May 2025 that a small number of people working for its "
            "customer-support contractors outside the US had been bribed to copy customer "
            "data, including names, contact details and some identity documents.",
            "The attackers used the data to impersonate Coinbase and persuade customers to "
            "move funds. Coinbase said it would reimburse customers tricked in this way, "
            "estimated costs of up to $400m, and put up a $20m reward for information.",
        ),
    ),
    story(
        "salt-typhoon-breaches-us-telecoms",
        "State hackers burrow into US telecoms networks",
        "US officials said a China-linked group known as Salt Typhoon had breached several "
        "carriers, reaching systems used for lawful intercept requests.",
        datetime(2024, 12, 5, 9, 0, tzinfo=LONDON),
        ["daniel-mercer"],
        ["technology-media-telecoms", "public-sector"],
        ["espionage"],
        ["Salt Typhoon", "telecoms", "lawful intercept", "China"],
        paragraphs(
            "Through late 2024 US agencies described a long-running espionage campaign inside "
            "telecoms operators, including AT&T and Verizon. The group took call records and "
            "targeted communications of people in government and politics.",
            "Officials advised people in sensitive roles to prefer end-to-end encrypted "
            "messaging. For insurers the case is a reminder that espionage losses rarely fit "
            "the ransomware-shaped models used to price cyber cover.",
        ),
    ),
    story(
        "internet-archive-hit-by-ddos-and-breach",
        "Internet Archive knocked offline by DDoS as user data leaks",
        "The non-profit library faced denial-of-service attacks and a breach of about 31 "
        "million user records in the same week of October 2024.",
        datetime(2024, 10, 11, 10, 0, tzinfo=LONDON),
        ["priya-raman"],
        ["technology-media-telecoms", "education"],
        ["ddos", "data-breach"],
        ["Internet Archive", "Wayback Machine", "DDoS"],
        paragraphs(
            "Visitors to the Internet Archive in October 2024 saw a pop-up message announcing "
            "a breach; a database of around 31 million accounts' email addresses and hashed "
            "passwords was then shared with a breach-notification service.",
            "At the same time denial-of-service attacks repeatedly took the site and its "
            "Wayback Machine offline. The archive returned in read-only mode while it "
            "rebuilt its defences.",
        ),
    ),
    story(
        "mod-afghan-data-leak-revealed",
        "Ministry of Defence email error exposed Afghans who helped UK forces",
        "A spreadsheet sent in error in 2022 named thousands of Afghans applying to move to "
        "the UK; its existence was kept secret by court order until July 2025.",
        datetime(2025, 7, 16, 12, 0, tzinfo=LONDON),
        ["priya-raman"],
        ["public-sector"],
        ["human-error", "data-breach"],
        ["Ministry of Defence", "Afghanistan", "superinjunction", "email"],
        paragraphs(
            "In February 2022 an official emailed outside government a spreadsheet with the "
            "details of nearly 19,000 people who had applied to relocate to Britain after the "
            "Taliban takeover. The leak came to light in 2023 when extracts appeared online.",
            "The government set up a secret resettlement scheme and obtained a "
            "superinjunction preventing reporting, which was lifted in July 2025. It remains "
            "one of the costliest human errors in UK public-sector data handling.",
        ),
    ),
    story(
        "lumma-stealer-infrastructure-seized",
        "Police and Microsoft seize Lumma infostealer infrastructure",
        "A coordinated action in May 2025 took down thousands of domains behind the most "
        "widely used password-stealing malware service.",
        datetime(2025, 5, 22, 9, 0, tzinfo=LONDON),
        ["daniel-mercer"],
        ["technology-media-telecoms"],
        ["malware", "account-compromise"],
        ["Lumma", "infostealer", "Europol", "Microsoft"],
        paragraphs(
            "Microsoft's Digital Crimes Unit, working with the US Department of Justice, "
            "Europol and Japanese authorities, obtained court orders to seize about 2,300 "
            "domains used to control Lumma Stealer, malware sold as a service to criminals.",
            "Infostealers harvest saved passwords and session cookies from infected computers; "
            "those credentials fuel account takeovers like the 2024 Snowflake thefts.",
        ),
    ),
    story(
        "mgm-resorts-help-desk-call-leads-to-shutdown",
        "A help-desk phone call leads to MGM Resorts shutdown",
        "Attackers talked their way into MGM's systems in September 2023; slot machines, "
        "room keys and bookings failed for days, at a cost put at about $100m.",
        datetime(2023, 9, 14, 9, 0, tzinfo=LONDON),
        ["tom-hallam"],
        ["retail-hospitality"],
        ["phishing", "ransomware", "outage"],
        ["MGM Resorts", "Scattered Spider", "casinos", "help desk"],
        paragraphs(
            "MGM Resorts shut down systems on 10 September 2023 after intruders, reported to "
            "have impersonated an employee in a call to the IT help desk, gained access. The "
            "ALPHV ransomware group claimed the attack.",
            "Hotels and casinos in Las Vegas ran on manual processes for about ten days. MGM "
            "said the incident would cost it around $100m and that cyber insurance would "
            "cover the financial impact.",
        ),
    ),
    story(
        "southern-water-confirms-data-stolen",
        "Southern Water confirms customer and staff data stolen",
        "The Black Basta ransomware group claimed the attack on the water company, which "
        "said its supply and wastewater services were not affected.",
        datetime(2024, 2, 15, 9, 0, tzinfo=LONDON),
        ["hannah-okafor"],
        ["energy-utilities"],
        ["ransomware", "data-breach"],
        ["Southern Water", "Black Basta", "water", "critical national infrastructure"],
        paragraphs(
            "Southern Water said in early 2024 that criminals had accessed part of its IT "
            "systems and taken data, after Black Basta posted samples on its leak site. "
            "The company later wrote to customers and employees whose personal data was "
            "affected.",
            "Operational technology that runs water treatment was not reached. The case "
            "shows how utilities' corporate networks carry the data risk even when the "
            "physical service keeps running.",
        ),
    ),
]
