"""Seeds the sectors and risk types of DESIGN.md. Slugs are permanent; names and definitions
are the editors' to change afterwards, so a re-run only fills in what is missing."""

from django.db import migrations

SECTORS = [
    ("healthcare", "Healthcare", "Health and care providers, the NHS, pharmaceutical companies."),
    (
        "financial-services",
        "Financial services",
        "Banks, insurers, payments firms, investment managers.",
    ),
    (
        "public-sector",
        "Public sector",
        "Central and local government, defence, police and courts.",
    ),
    ("education", "Education", "Schools, universities and research institutions."),
    (
        "energy-utilities",
        "Energy and utilities",
        "Oil, gas, power, water and mining.",
    ),
    (
        "transport-logistics",
        "Transport and logistics",
        "Air, rail, road, shipping, ports, postal services and logistics.",
    ),
    (
        "manufacturing",
        "Manufacturing",
        "Factories, automotive, chemicals and food production.",
    ),
    (
        "retail-hospitality",
        "Retail and hospitality",
        "Shops, e-commerce, hotels, restaurants and leisure.",
    ),
    (
        "technology-media-telecoms",
        "Technology, media and telecoms",
        "Software, cloud, IT services, telecoms, publishing and broadcasting.",
    ),
    (
        "professional-services",
        "Professional services",
        "Legal, accounting, consulting, staffing and business services.",
    ),
]

RISK_TYPES = [
    ("ransomware", "Ransomware", "Encryption or extortion by a ransomware group."),
    (
        "malware",
        "Malware",
        "Other malicious software: trojans, wipers, spyware and botnets.",
    ),
    ("data-breach", "Data breach", "Data disclosed, exposed or stolen."),
    ("ddos", "DDoS", "Denial of service."),
    (
        "phishing",
        "Phishing and social engineering",
        "Phishing, pretexting, business email compromise and other social engineering.",
    ),
    (
        "account-compromise",
        "Account compromise",
        "Stolen or brute-forced credentials and account takeover.",
    ),
    (
        "vulnerability-exploit",
        "Vulnerability exploit",
        "Exploitation of a software flaw, including zero-days and SQL injection.",
    ),
    (
        "supply-chain",
        "Supply chain",
        "The attack reached victims through a supplier, managed-service provider or "
        "software update.",
    ),
    ("insider-threat", "Insider threat", "Misuse by staff or other insiders."),
    (
        "human-error",
        "Human error",
        "Misdelivery, misconfiguration or accidental publication.",
    ),
    ("physical-loss", "Physical loss", "Lost or stolen devices or paper records."),
    ("espionage", "Espionage", "State-linked or espionage-motivated activity."),
    ("outage", "Outage", "Services unavailable or running on contingency."),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Sector", SECTORS), ("RiskType", RISK_TYPES)):
        model = apps.get_model("cirsite", model_name)
        for order, (slug, name, definition) in enumerate(rows):
            model.objects.get_or_create(
                slug=slug, defaults={"name": name, "definition": definition, "sort_order": order}
            )


class Migration(migrations.Migration):
    dependencies = [("cirsite", "0002_images_home_settings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
