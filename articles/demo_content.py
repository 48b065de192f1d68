"""Demo stories: written for cirsite about publicly reported incidents. Loaded by
`manage.py load_demo`; a story already present (same slug) is left as it is."""

from datetime import datetime
from zoneinfo import ZoneInfo

from cirsite.base.models import RiskType, Sector

from .demo_pictures import author_portrait, story_picture
from .demo_stories_2023_2025 import STORIES as LATER_STORIES
from .models import ArticleIndexPage, ArticlePage, ArticlePageAuthor, Author, AuthorIndexPage

LONDON = ZoneInfo("Europe/London")

AUTHORS = [
    {
        "slug": "hannah-okafor",
        "name": "Hannah Okafor",
        "role": "News editor",
        "bio": "<p>Hannah covers cyber incidents, operational resilience and the insurance "
        "market's response to both. She previously reported on financial regulation.</p>",
    },
    {
        "slug": "daniel-mercer",
        "name": "Daniel Mercer",
        "role": "Risk correspondent",
        "bio": "<p>Daniel writes about supply-chain risk, business continuity and the public "
        "sector's defences. He hosts the cirsite podcast.</p>",
        "website_url": "https://cirsite.example/podcasts/",
    },
    {
        "slug": "tom-hallam",
        "name": "Tom Hallam",
        "role": "Insurance correspondent",
        "bio": "<p>Tom follows how cyber losses reach the insurance market: claims, "
        "accumulation, pricing and the wording disputes that follow a major incident.</p>",
        "linkedin_url": "https://www.linkedin.com/in/tom-hallam-cirsite-demo",
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "role": "Public-sector and data correspondent",
        "bio": "<p>Priya reports on data protection, regulators' enforcement and how public "
        "bodies handle breaches. She trained as a data analyst before joining cirsite.</p>",
    },
]


def paragraphs(*texts):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def fact_box(title, *facts):
    return {"type": "fact_box", "value": {"title": title, "facts": list(facts)}}


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def pull_quote(quote, attribution=""):
    return {"type": "pull_quote", "value": {"quote": quote, "attribution": attribution}}


STORIES = [
    {
        "slug": "nhs-111-software-supplier-hit-by-cyberattack",
        "title": "NHS 111 service software hit by cyberattack",
        "standfirst": "A ransomware attack on Advanced, the managed-service provider behind "
        "the Adastra patient-management system, left NHS 111 call handlers working on paper "
        "contingency plans for days.",
        "published": datetime(2022, 8, 8, 9, 30, tzinfo=LONDON),
        "authors": ["hannah-okafor"],
        "sectors": ["healthcare", "technology-media-telecoms"],
        "risk_types": ["ransomware", "supply-chain", "outage"],
        "tags": ["NHS", "Advanced", "Adastra", "managed services"],
        "source_url": "https://www.oneadvanced.com/",
        "body": paragraphs(
            "On 4 August 2022 Advanced, a software and managed-services company that hosts "
            "clinical systems for the NHS, detected a ransomware attack on its infrastructure. "
            "It isolated its health and care environments to contain the intrusion.",
            "Among the products taken offline was Adastra, the patient-management system used "
            "by most NHS 111 services across the UK to record calls, refer patients and book "
            "out-of-hours appointments. Call handlers fell back on paper records and manual "
            "processes, and some patients faced longer waits for callbacks.",
        )
        + [
            fact_box(
                "Key facts",
                "Attack detected on 4 August 2022",
                "Provider: Advanced, hosting Adastra for NHS 111 and out-of-hours services",
                "Services ran on contingency plans for days; full restoration took weeks",
                "Risk types: ransomware, supply chain, outage",
            ),
            heading("Why risk managers should care"),
        ]
        + paragraphs(
            "The incident shows concentration risk in its plainest form: one supplier's "
            "outage became a national service's outage. Business-continuity plans that assume "
            "a single organisation's systems fail in isolation miss the case in which every "
            "customer of a shared platform is hit at once.",
            "The Information Commissioner's Office later fined Advanced over security failings "
            "linked to the attack, the first such penalty against a data processor in the UK.",
        )
        + [
            pull_quote(
                "When a shared supplier goes down, everyone who depends on it goes down together."
            )
        ],
    },
    {
        "slug": "royal-mail-international-exports-halted-by-ransomware",
        "title": "Royal Mail international exports halted by ransomware",
        "standfirst": "Royal Mail asked customers to stop sending overseas parcels after a "
        "LockBit ransomware attack disabled the systems that print customs labels.",
        "published": datetime(2023, 1, 12, 8, 0, tzinfo=LONDON),
        "authors": ["daniel-mercer"],
        "sectors": ["transport-logistics"],
        "risk_types": ["ransomware", "outage"],
        "tags": ["Royal Mail", "LockBit", "customs"],
        "source_url": "https://www.royalmail.com/",
        "body": paragraphs(
            "Royal Mail disclosed a cyber incident on 11 January 2023 that stopped it "
            "dispatching letters and parcels abroad. The attack hit a distribution centre "
            "system used to print customs documents for international items.",
            "The LockBit ransomware group later claimed responsibility and posted a ransom "
            "demand. Royal Mail refused to pay. Export services returned in stages over the "
            "following weeks, using workarounds for some products while the affected systems "
            "were rebuilt.",
        )
        + [
            fact_box(
                "Key facts",
                "Disclosed 11 January 2023",
                "International export services suspended for several weeks",
                "Ransom demand refused",
            )
        ],
    },
    {
        "slug": "british-library-ransomware-takes-catalogue-offline",
        "title": "British Library ransomware attack takes catalogue offline for months",
        "standfirst": "The Rhysida group encrypted and stole data from the British Library, "
        "whose website, catalogue and reading-room services were disrupted well into 2024.",
        "published": datetime(2023, 11, 22, 10, 0, tzinfo=LONDON),
        "authors": ["hannah-okafor"],
        "sectors": ["education", "public-sector"],
        "risk_types": ["ransomware", "data-breach", "outage"],
        "tags": ["British Library", "Rhysida", "legacy IT"],
        "source_url": "https://www.bl.uk/",
        "body": paragraphs(
            "The British Library suffered a ransomware attack at the end of October 2023. "
            "Its website, online catalogue and many reader services went offline, and the "
            "Rhysida group published data it said it had taken from the library's network.",
            "The library's own review pointed to legacy systems that could not be patched or "
            "restored quickly, and to a remote-access route without multi-factor "
            "authentication. Recovery meant rebuilding rather than restoring.",
        )
        + [
            fact_box(
                "Key facts",
                "Attack began in late October 2023",
                "Stolen data published online by the Rhysida group",
                "Catalogue and services restored gradually through 2024",
            )
        ],
    },
    {
        "slug": "moveit-zero-day-reaches-payroll-clients",
        "title": "MOVEit zero-day reaches payroll clients through their provider",
        "standfirst": "The Cl0p gang exploited a flaw in the MOVEit Transfer file-sharing "
        "product, and staff data at the BBC, British Airways and Boots leaked through their "
        "shared payroll provider.",
        "published": datetime(2023, 6, 6, 7, 45, tzinfo=LONDON),
        "authors": ["daniel-mercer"],
        "sectors": ["professional-services", "technology-media-telecoms"],
        "risk_types": ["vulnerability-exploit", "supply-chain", "data-breach"],
        "tags": ["MOVEit", "Cl0p", "Zellis", "CVE-2023-34362"],
        "source_url": "https://www.cisa.gov/",
        "body": paragraphs(
            "Progress Software warned at the end of May 2023 of a SQL injection vulnerability "
            "in MOVEit Transfer, later tracked as CVE-2023-34362. The Cl0p extortion group "
            "had been exploiting it as a zero-day to steal files from internet-facing servers.",
            "In the UK the best-known victims were reached indirectly. Zellis, a payroll and "
            "HR services provider, used MOVEit; employee data of several of its clients, "
            "including the BBC, British Airways and Boots, was taken from its systems.",
            "Hundreds of organisations worldwide were eventually named as affected, making "
            "MOVEit one of the largest supply-chain data-theft campaigns on record.",
        ),
    },
    {
        "slug": "electoral-commission-discloses-long-running-intrusion",
        "title": "Electoral Commission discloses long-running intrusion",
        "standfirst": "Hostile actors had access to the Commission's systems for more than a "
        "year, with copies of the electoral registers within reach; the UK government later "
        "blamed a China-linked group.",
        "published": datetime(2023, 8, 8, 11, 0, tzinfo=LONDON),
        "authors": ["priya-raman"],
        "sectors": ["public-sector"],
        "risk_types": ["espionage", "data-breach"],
        "tags": ["Electoral Commission", "state actors"],
        "source_url": "https://www.electoralcommission.org.uk/",
        "body": paragraphs(
            "The Electoral Commission said in August 2023 that attackers had first gained "
            "access to its systems in August 2021, and that the intrusion was found in "
            "October 2022. Reference copies of the electoral registers for Great Britain and "
            "the Commission's email were accessible to them.",
            "In March 2024 the UK government attributed the attack to a China state-affiliated "
            "actor. The Commission said the data involved was largely already public, but the "
            "length of the intrusion raised questions about detection.",
        ),
    },
    {
        "slug": "psni-spreadsheet-error-exposes-every-officer",
        "title": "Spreadsheet error exposes every PSNI officer and staff member",
        "standfirst": "A response to a freedom-of-information request accidentally published "
        "the surnames, initials and roles of around 10,000 Police Service of Northern "
        "Ireland employees.",
        "published": datetime(2023, 8, 9, 9, 0, tzinfo=LONDON),
        "authors": ["priya-raman"],
        "sectors": ["public-sector"],
        "risk_types": ["human-error", "data-breach"],
        "tags": ["PSNI", "freedom of information"],
        "source_url": "https://www.psni.police.uk/",
        "body": paragraphs(
            "On 8 August 2023 the Police Service of Northern Ireland published a spreadsheet "
            "in answer to a freedom-of-information request. A hidden tab held details of its "
            "entire workforce. The file stayed online for a few hours before it was removed.",
            "No attacker was involved, yet the consequences were severe: officers feared for "
            "their safety, and the regulator later fined the force. Misdelivery and "
            "accidental publication remain among the most common causes of reported breaches.",
        )
        + [
            fact_box(
                "Lessons",
                "Check files for hidden sheets and columns before release",
                "Have a second person review any disclosure of internal data",
            )
        ],
    },
    {
        "slug": "capita-cyber-incident-hits-pension-schemes",
        "title": "Capita cyber incident reaches pension schemes it administers",
        "standfirst": "Data was taken from the outsourcer's servers, and dozens of pension "
        "schemes and councils that rely on Capita had to warn their members.",
        "published": datetime(2023, 5, 12, 8, 30, tzinfo=LONDON),
        "authors": ["hannah-okafor", "daniel-mercer"],
        "sectors": ["professional-services", "financial-services"],
        "risk_types": ["ransomware", "data-breach", "supply-chain"],
        "tags": ["Capita", "Black Basta", "pensions", "outsourcing"],
        "source_url": "https://www.capita.com/",
        "body": paragraphs(
            "Capita, one of the UK's largest outsourcers, reported a cyber incident at the "
            "end of March 2023 that disrupted access to internal systems. The Black Basta "
            "ransomware group claimed the attack, and Capita confirmed data had been taken.",
            "Pension schemes that use Capita for administration, including large corporate "
            "and local-government schemes, were told their members' data might be affected. "
            "A separate exposure from a misconfigured cloud storage bucket added to the "
            "company's difficulties that spring.",
        ),
    },
    {
        "slug": "faulty-security-update-grounds-flights-and-gp-systems",
        "title": "Faulty security update grounds flights and GP systems",
        "standfirst": "A defective content update to CrowdStrike's Falcon sensor crashed "
        "millions of Windows machines on 19 July 2024, taking airlines, banks and GP surgeries "
        "offline.",
        "published": datetime(2024, 7, 19, 14, 0, tzinfo=LONDON),
        "authors": ["daniel-mercer"],
        "sectors": ["transport-logistics", "healthcare", "technology-media-telecoms"],
        "risk_types": ["outage", "supply-chain", "human-error"],
        "tags": ["CrowdStrike", "Windows", "non-malicious"],
        "source_url": "https://www.crowdstrike.com/",
        "body": paragraphs(
            "Early on 19 July 2024 CrowdStrike pushed a configuration update to its Falcon "
            "endpoint sensor that caused Windows computers to crash and fail to restart. "
            "Microsoft estimated that about 8.5 million devices were affected.",
            "Airlines cancelled flights, broadcasters lost output, and GP practices in England "
            "could not use the EMIS appointment and records system. No attacker was involved: "
            "the outage came through a trusted software update from a security supplier.",
        )
        + [
            pull_quote(
                "Non-malicious outages belong in the same scenario book as cyberattacks: "
                "the business interruption looks the same."
            )
        ],
    },
    {
        "slug": "synnovis-attack-disrupts-london-hospitals",
        "title": "Attack on pathology provider Synnovis disrupts London hospitals",
        "standfirst": "The Qilin ransomware group hit Synnovis, which runs blood tests for "
        "several south-east London NHS trusts, forcing thousands of appointments and "
        "operations to be postponed.",
        "published": datetime(2024, 6, 5, 9, 0, tzinfo=LONDON),
        "authors": ["hannah-okafor"],
        "sectors": ["healthcare"],
        "risk_types": ["ransomware", "supply-chain", "outage", "data-breach"],
        "tags": ["Synnovis", "Qilin", "NHS", "pathology"],
        "source_url": "https://www.synnovis.co.uk/",
        "body": paragraphs(
            "On 3 June 2024 Synnovis, a pathology partnership serving King's College Hospital "
            "and Guy's and St Thomas' NHS Foundation Trusts among others, was hit by "
            "ransomware. Blood-test services slowed to a fraction of normal capacity.",
            "The hospitals declared a critical incident, postponed planned operations and "
            "issued an urgent appeal for O-type blood donors because blood could not be "
            "matched as quickly. The attackers later published data stolen during the attack.",
        ),
    },
]


STORIES = STORIES + LATER_STORIES


def picture_for(data):
    """The illustration's motif is one of the story's risk types, picked by its slug, so
    stories about the same kind of incident still look different."""
    risks = data["risk_types"]
    return story_picture(
        data["slug"], data["sectors"][0], risks[sum(data["slug"].encode()) % len(risks)]
    )


def ensure_authors():
    authors = {}
    for data in AUTHORS:
        author, _ = Author.objects.get_or_create(
            slug=data["slug"],
            defaults={key: value for key, value in data.items() if key != "slug"},
        )
        if author.photo_id is None:
            author.photo = author_portrait(author.slug, author.name)
            author.save(update_fields=["photo"])
        authors[author.slug] = author
    return authors


def ensure_author_index(home_page):
    index = AuthorIndexPage.objects.child_of(home_page).first()
    if index is None:
        index = AuthorIndexPage(
            title="Authors",
            slug="authors",
            introduction="The reporters and editors behind cirsite's stories and podcast.",
            show_in_menus=False,
        )
        home_page.add_child(instance=index)
        index.save_revision().publish()
    return index


def ensure_news_index(home_page):
    index = ArticleIndexPage.objects.child_of(home_page).filter(slug="news").first()
    if index is None:
        index = ArticleIndexPage(
            title="News",
            slug="news",
            introduction="Cyber incidents and what they mean for risk, insurance and "
            "business continuity.",
        )
        home_page.add_child(instance=index)
        index.save_revision().publish()
    return index


def load(home_page, before_publish=None):
    """Adds the demo stories that are missing. ``before_publish(story)`` may add what other
    apps link to a story (incidents, episodes) so that the first revision carries it."""
    authors = ensure_authors()
    ensure_author_index(home_page)
    index = ensure_news_index(home_page)
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    risk_types = {risk.slug: risk for risk in RiskType.objects.all()}
    existing = set(ArticlePage.objects.child_of(index).values_list("slug", flat=True))
    lead = None
    for data in STORIES:
        if data["slug"] in existing:
            continue
        story = ArticlePage(
            hero_image=picture_for(data),
            title=data["title"],
            slug=data["slug"],
            standfirst=data["standfirst"],
            body=data["body"],
            source_url=data["source_url"],
            first_published_at=data["published"],
        )
        story.article_authors = [
            ArticlePageAuthor(author=authors[slug], sort_order=order)
            for order, slug in enumerate(data["authors"])
        ]
        story.sectors = [sectors[slug] for slug in data["sectors"]]
        story.risk_types = [risk_types[slug] for slug in data["risk_types"]]
        story.tags.add(*data["tags"])
        index.add_child(instance=story)
        if before_publish is not None:
            before_publish(story)
        revision = story.save_revision()
        revision.publish()
        # Publishing stamps "now"; the demo's stories carry the dates of the events.
        ArticlePage.objects.filter(pk=story.pk).update(
            first_published_at=data["published"], last_published_at=data["published"]
        )
        if data.get("lead"):
            lead = story
    if lead is not None and home_page.lead_story_id is None:
        home_page.lead_story = lead
        home_page.save_revision().publish()
