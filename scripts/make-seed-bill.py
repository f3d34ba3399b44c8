#!/usr/bin/env python3
"""Writes testdata/actuals/seed-bill-120-days.csv: a FOCUS 1.2 bill for the
seed plan's (testdata/seed-roadmap.json) first 120 days, shaped like the
FOCUS specification's samples and a cloud's daily export, and the usage CSV
beside it. Every figure is a round amount a day, so the totals the tests
check are worked by hand (docs/actuals.md shows the sums).

  Baseline (days 1-90, 2027-01-04 to 2027-04-03): 2 p5.4xlarge, 24 h each
  Phase 1 (days 91-120, 2027-04-04 to 2027-05-03): 3 p5.4xlarge, 24 h each,
  and the $20,000 load test on its first day.
"""
import csv, datetime, json, sys

COLS = ["BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
        "ChargeCategory", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
        "ConsumedQuantity", "ConsumedUnit", "EffectiveCost", "ListCost", "PricingCategory", "ProviderName",
        "RegionId", "ResourceId", "ServiceCategory", "ServiceName", "SkuId", "Tags"]
START = datetime.date(2027, 1, 4)

def iso(d):
    return d.strftime("%Y-%m-%dT00:00:00Z")

def month_bounds(d):
    s = d.replace(day=1)
    e = (s + datetime.timedelta(days=32)).replace(day=1)
    return s, e

def row(day, end, cost, cat, desc, freq, qty, unit, pricing, rid, svc_cat, svc, sku, tags):
    ms, me = month_bounds(day)
    return {"BilledCost": cost, "BillingAccountId": "123456789012", "BillingCurrency": "USD",
            "BillingPeriodEnd": iso(me), "BillingPeriodStart": iso(ms), "ChargeCategory": cat,
            "ChargeDescription": desc, "ChargeFrequency": freq, "ChargePeriodEnd": iso(end),
            "ChargePeriodStart": iso(day), "ConsumedQuantity": qty, "ConsumedUnit": unit,
            "EffectiveCost": cost, "ListCost": cost, "PricingCategory": pricing, "ProviderName": "AWS",
            "RegionId": "us-east-1", "ResourceId": rid, "ServiceCategory": svc_cat, "ServiceName": svc,
            "SkuId": sku, "Tags": json.dumps(tags) if tags else ""}

rows = []
# A pre-launch smoke test the day before the plan starts: outside its days.
d0 = START - datetime.timedelta(days=1)
rows.append(row(d0, START, "165.12", "Usage", "p5.4xlarge On Demand Linux", "Usage-Based", "24", "Hours", "Standard",
                "i-0smoketest", "Compute", "Amazon Elastic Compute Cloud", "BoxUsage:p5.4xlarge", {"team": "ml"}))
for n in range(120):
    day = START + datetime.timedelta(days=n)
    nxt = day + datetime.timedelta(days=1)
    nodes = 2 if n < 90 else 3
    for k in range(nodes):
        rows.append(row(day, nxt, "165.12", "Usage", "p5.4xlarge On Demand Linux", "Usage-Based", "24", "Hours", "Standard",
                        f"arn:aws:ec2:us-east-1:123456789012:instance/i-0gpu{k}", "Compute", "Amazon Elastic Compute Cloud",
                        "BoxUsage:p5.4xlarge", {"scaleplan-line": "gpu", "team": "ml"}))
    rows.append(row(day, nxt, "0.19" if n < 90 else "0.79", "Usage", "Standard storage", "Usage-Based", "", "GB-Mo", "Standard",
                    "arn:aws:s3:::inference-logs", "Storage", "Amazon Simple Storage Service", "TimedStorage-ByteHrs", None))
    rows.append(row(day, nxt, "394.52", "Usage", "io2 provisioned IOPS", "Usage-Based", "", "IOPS-Mo", "Standard",
                    "arn:aws:ec2:us-east-1:123456789012:volume/vol-0io2", "Storage", "Amazon Elastic Compute Cloud",
                    "EBS:VolumeP-IOPS.io2", {"scaleplan-line": "iops"}))
    rows.append(row(day, nxt, "0.36" if n < 90 else "1.40", "Usage", "Data transfer out to the internet", "Usage-Based", "", "GB",
                    "Standard", "", "Networking", "AWS Data Transfer", "DataTransfer-Out-Bytes", None))
    rows.append(row(day, nxt, "263.01", "Usage", "Observability and support contracts", "Recurring", "1", "Day", "Standard",
                    "", "Management and Governance", "Datadog", "infra-pro", None))
    rows.append(row(day, nxt, "12.00", "Usage", "Build minutes", "Usage-Based", "", "Minutes", "Standard",
                    "", "Developer Tools", "AWS CodeBuild", "Build-Min", None))
    if n == 90:
        rows.append(row(day, nxt, "20000.00", "Usage", "Load tests and autoscaler rollout", "One-Time", "1", "Project", "Standard",
                        "", "Other", "Professional services", "loadtest-rollout", {"scaleplan-line": "fixed"}))
# Taxes and a credit, which FOCUS keeps apart from usage.
for m in (1, 2, 3, 4):
    s = datetime.date(2027, m, 1)
    e = (s + datetime.timedelta(days=32)).replace(day=1)
    rows.append(row(s, e, "500.00", "Tax", "Sales tax", "Recurring", "", "", "", "", "", "", "", None))
rows.append(row(datetime.date(2027, 2, 1), datetime.date(2027, 3, 1), "-1000.00", "Credit", "Startup credit", "One-Time",
                "", "", "", "", "", "", "", None))

w = csv.DictWriter(open(sys.argv[1] if len(sys.argv) > 1 else "testdata/actuals/seed-bill-120-days.csv", "w", newline=""),
                   fieldnames=COLS, lineterminator="\n")
w.writeheader()
for r in rows:
    w.writerow(r)

with open(sys.argv[2] if len(sys.argv) > 2 else "testdata/actuals/seed-usage-120-days.csv", "w") as f:
    f.write("date,calls,p99_ms,nodes\n")
    for n in range(120):
        day = START + datetime.timedelta(days=n)
        base = n < 90
        f.write(f"{day},{480000 if base else 2100000},{150 if base else (240 if n == 100 else 190)},{2 if base else 3}\n")
