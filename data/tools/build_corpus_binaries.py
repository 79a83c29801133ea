#!/usr/bin/env python3
"""Write the PDF and DOCX documents of the demo corpus (data/corpus/).

The text of every binary document lives in this file; the .md, .txt, .csv, .json and
.html documents of the corpus are written by hand and are not touched here.

    python3 -m venv /tmp/corpusenv
    /tmp/corpusenv/bin/pip install fpdf2 python-docx pypdf
    /tmp/corpusenv/bin/python data/tools/build_corpus_binaries.py          # write
    /tmp/corpusenv/bin/python data/tools/build_corpus_binaries.py --check  # write, then
        # extract every PDF page with pypdf and every DOCX paragraph and print a summary

Output is deterministic for a given fpdf2 / python-docx version: fixed creation dates, fixed
document properties and fixed ZIP timestamps in the DOCX files, so a rerun produces
byte-identical files.

PDFs use the core Helvetica font, which covers Latin-1 only: keep the text to ASCII plus
the pound sign and the degree sign. Page breaks are explicit ("PAGE" blocks), so which fact
is on which page does not depend on the fpdf2 version; data/qa/rag.jsonl refers to them.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# A document is a list of blocks: ("h1" | "h2" | "p" | "small", text), ("bullets", [text]),
# ("table", [header, row, ...]) and ("PAGE",) for an explicit page break (PDF only).

# --------------------------------------------------------------------------------------
# policies/information-security-policy.pdf (3 pages)
# --------------------------------------------------------------------------------------
INFOSEC = [
    ("h1", "Information Security Policy"),
    ("small", "Pellworth Logistics Ltd | Policy IT-POL-01 | Version 4.1 | Approved 14 January 2025 "
              "by the Executive Committee | Policy owner: Rafael Duarte, Head of IT | "
              "Information Security Officer: Leona Frith (security@pellworth.example) | "
              "Classification: Internal"),
    ("h2", "1. Purpose"),
    ("p", "Pellworth Logistics Ltd depends on its information systems to plan, track and deliver "
          "thousands of consignments every day. This policy sets the minimum rules that protect "
          "the confidentiality, integrity and availability of our information and of the "
          "information our customers entrust to us. It replaces version 4.0 of March 2023."),
    ("h2", "2. Scope"),
    ("p", "The policy applies to all employees, agency workers, contractors and subcontractors "
          "who use Pellworth systems or information, at any site, at home or when travelling. "
          "It covers all company-owned devices, the systems RouteMaster, StockPilot and "
          "LedgerOne, email, file shares, SharePoint and cloud services, and any personal device "
          "used to read company email."),
    ("h2", "3. Roles and responsibilities"),
    ("bullets", [
        "The Head of IT owns this policy and reviews it every year.",
        "The Information Security Officer monitors compliance, runs the phishing simulation "
        "programme and leads the response to security incidents.",
        "System owners (for example the Operations Director for RouteMaster and the Financial "
        "Controller for LedgerOne) approve who may access their systems.",
        "Line managers make sure their teams complete the annual security training.",
        "Every user is responsible for following this policy and for reporting incidents.",
    ]),
    ("h2", "4. Information classification"),
    ("p", "All information is classified into one of four levels. If a document is not marked, "
          "treat it as Internal.")
    ,
    ("table", [
        ["Level", "Examples", "Handling"],
        ["Public", "Website content, published press releases, job adverts",
         "No restrictions"],
        ["Internal", "Intranet pages, procedures, organisation charts, the pallet rate card",
         "Staff only; may be shared with contractors under NDA"],
        ["Confidential", "Customer contracts, pricing proposals, unpublished financial results, "
                         "personnel files",
         "Named people only; encrypted if sent outside the company"],
        ["Restricted", "Payroll and bank details, health information, passwords and keys, "
                       "board papers on acquisitions",
         "Named people only; encrypted at rest and in transit; never printed at shared printers"],
    ]),
    ("PAGE",),
    ("h2", "5. Passwords and access control"),
    ("bullets", [
        "Passwords must be at least 14 characters long. A passphrase of three or more random "
        "words is recommended. Passwords must not be reused across the last 10 passwords, and "
        "must never be used for any non-work account.",
        "Passwords are not changed on a fixed schedule. A password must be changed immediately "
        "if there is any suspicion that it has been seen or compromised.",
        "Store work passwords only in the company password manager, PelVault.",
        "An account is locked for 15 minutes after 8 consecutive failed sign-in attempts.",
        "Administrators use a separate administrator account (prefix adm-) only for "
        "administrative tasks and never for email or web browsing.",
        "System owners review all user access to their systems every quarter; privileged "
        "access is reviewed every month by the Information Security Officer.",
    ]),
    ("h2", "6. Multi-factor authentication"),
    ("p", "Multi-factor authentication (MFA) is mandatory for email, the PelConnect VPN, remote "
          "access to RouteMaster, LedgerOne and every administrator account. Approve sign-in "
          "requests in the Microsoft Authenticator app only when you have just tried to sign in "
          "yourself. Codes sent by SMS are not allowed, except as a temporary fallback of up to 7 "
          "days arranged by the IT Service Desk while a replacement phone is issued."),
    ("h2", "7. Joiners, movers and leavers"),
    ("bullets", [
        "Access for new starters is requested by the line manager through the IT Service Desk "
        "and is limited to what the role needs.",
        "When someone changes role, their access is reviewed and unneeded rights are removed "
        "within 5 working days of the move.",
        "Leavers' accounts are disabled by 17:00 on their last working day, or immediately in "
        "the case of dismissal. Their mailboxes are handled under the Data Retention Schedule.",
        "Shared accounts are not permitted, except for warehouse handheld scanners, which use "
        "device accounts with badge sign-in.",
    ]),
    ("PAGE",),
    ("h2", "8. Devices and encryption"),
    ("bullets", [
        "All company laptops use full-disk encryption (BitLocker) and are managed by IT.",
        "Screens lock automatically after 5 minutes of inactivity. Lock your screen (Windows "
        "key + L) whenever you leave your device.",
        "USB storage devices are blocked, except company-issued encrypted USB drives approved "
        "by the IT Service Desk.",
        "Personal phones and tablets may be used for company email and Teams only through the "
        "managed Outlook and Teams apps, protected by a PIN. Company files must not be saved to "
        "personal devices.",
        "Lost or stolen devices must be reported to the IT Service Desk immediately, at any "
        "time of day.",
    ]),
    ("h2", "9. Software and patching"),
    ("p", "Only software approved by IT may be installed. Critical security patches are applied "
          "within 14 days of release, high-severity patches within 30 days, and all other "
          "patches in the next monthly maintenance cycle. Software that is no longer supported "
          "by its vendor is removed or isolated from the network."),
    ("h2", "10. Email and phishing"),
    ("p", "Messages from outside the company carry an [EXTERNAL] banner. Report any suspicious "
          "email with the Report Phish button in Outlook and then delete it. The Information "
          "Security Officer runs phishing simulations every quarter; anyone who clicks on three "
          "simulations within 12 months must complete a refresher course within 30 days."),
    ("h2", "11. Reporting security incidents"),
    ("p", "Report any suspected security incident - for example a lost laptop, a password typed "
          "into a suspicious website, an email sent to the wrong customer, or unusual system "
          "behaviour - within 1 hour of discovering it, to the IT Service Desk on extension 4400 "
          "or security@pellworth.example. Outside Service Desk hours call the on-call engineer "
          "on 01632 960 999. Do not investigate yourself and do not switch the device off; "
          "disconnect it from the network and wait for instructions."),
    ("h2", "12. Personal data breaches"),
    ("p", "If an incident involves personal data, the Information Security Officer informs the "
          "Data Protection Officer (dpo@pellworth.example) at once. The DPO decides whether the "
          "breach must be reported to the Information Commissioner's Office; if so, it is "
          "reported within 72 hours of the company becoming aware of it. Every breach, reported "
          "or not, is recorded in the breach log with the reasons for the decision."),
    ("h2", "13. Clean desk, exceptions and compliance"),
    ("p", "Confidential and Restricted papers are locked away at the end of each day and printouts "
          "are collected immediately using secure print release. Exceptions to this policy must "
          "be requested through the IT Service Desk, approved by the Head of IT, and are granted "
          "for a maximum of 6 months at a time. Security training is mandatory every year, with a "
          "completion target of 95% of staff by 31 March. Breaches of this policy may lead to "
          "disciplinary action."),
]

# --------------------------------------------------------------------------------------
# contracts/brightwater-foods-msa-2024.pdf (3 pages)
# --------------------------------------------------------------------------------------
IBAN = "GB91 MCBK 4012 7651 8392 04"
MSA = [
    ("h1", "Master Services Agreement"),
    ("small", "Contract reference BWF-MSA-2024-01 | Dated 18 March 2024 | Confidential"),
    ("h2", "Parties"),
    ("p", "(1) Pellworth Logistics Ltd, a company registered in England and Wales with company "
          "number 08412677, whose registered office is at Pellworth House, 18 Ferrow Way, "
          "Northampton NN4 7XT (the \"Provider\"); and"),
    ("p", "(2) Brightwater Foods Ltd, a company registered in England and Wales with company "
          "number 05531902, whose registered office is at Estuary Park, Cleethorpe Road, "
          "Grimsby DN31 3LX (the \"Customer\")."),
    ("h2", "Background"),
    ("p", "The Customer produces chilled ready meals and ambient sauces. It wishes to appoint the "
          "Provider to store its finished goods and to distribute them to retail distribution "
          "centres and stores in England and Wales, and the Provider has agreed to do so on the "
          "terms of this Agreement and its Schedules."),
    ("h2", "1. Term"),
    ("p", "1.1 This Agreement starts on 1 April 2024 (the \"Commencement Date\") and continues for "
          "an initial term of 36 months, ending on 31 March 2027 (the \"Initial Term\")."),
    ("p", "1.2 After the Initial Term this Agreement renews automatically for successive periods "
          "of 12 months, unless either party gives the other written notice of not less than "
          "90 days before the end of the Initial Term or of the renewal period then running "
          "that it does not wish the Agreement to renew."),
    ("h2", "2. Services"),
    ("p", "2.1 The Provider shall provide from its Daventry depot: chilled storage at 0 to 5 "
          "degrees C, ambient storage, order picking, labelling, and delivery to the Customer's "
          "customers as described in Schedule 1."),
    ("p", "2.2 The Customer shall provide a rolling volume forecast each Wednesday by 12:00 for "
          "the following week. The Provider shall handle weekly volumes up to 15% above the "
          "forecast without additional charge; volumes above that are handled on a reasonable "
          "endeavours basis."),
    ("p", "2.3 The Provider shall keep continuous temperature records for every chilled pallet "
          "and make them available to the Customer on request within 24 hours."),
    ("PAGE",),
    ("h2", "3. Service levels and service credits"),
    ("p", "3.1 The Provider shall achieve, in each calendar month: on-time-in-full (OTIF) delivery "
          "of at least 98.5% of orders; temperature compliance of at least 99.8% of chilled "
          "pallets; and stock accuracy of at least 99.5% at the monthly stock check."),
    ("p", "3.2 If OTIF falls below 98.5% in any month, the Customer is entitled to a service "
          "credit of 2% of the monthly charges for each 0.5 percentage point (or part of one) by "
          "which OTIF falls short. Service credits are capped at 10% of the charges for that "
          "month and are deducted from the next invoice."),
    ("p", "3.3 Service credits are the Customer's sole financial remedy for missed service levels, "
          "except that if OTIF is below 95% in three consecutive months the Customer may "
          "terminate under clause 7.2."),
    ("h2", "4. Charges and payment"),
    ("table", [
        ["Charge (Schedule 2)", "Rate, excluding VAT"],
        ["Chilled storage", "£4.85 per pallet per week"],
        ["Ambient storage", "£2.95 per pallet per week"],
        ["Handling in or out", "£3.40 per pallet"],
        ["Case picking", "£0.38 per case"],
        ["Delivery to a retail distribution centre", "£62.00 per pallet"],
    ]),
    ("p", "4.1 The Provider invoices monthly in arrears. The Customer shall pay each undisputed "
          "invoice within 45 days of the invoice date. Late payments carry interest at 4% a "
          "year above the Bank of England base rate."),
    ("p", "4.2 Charges are reviewed each year on 1 April. Any increase is limited to the annual "
          "rate of CPI inflation for the previous February plus 1%. Fuel surcharge is charged "
          "separately in line with the Provider's standard fuel index."),
    ("p", "4.3 Payments shall be made by bank transfer to: account name Pellworth Logistics Ltd; "
          "bank Mercia Commercial Bank plc, 7 Victoria Square, Birmingham; sort code 40-12-76; "
          "account number 51839204; IBAN " + IBAN + "; BIC MCBKGB2L. The Provider will "
          "never change these details by email alone; any change is confirmed by letter signed "
          "by the Provider's Chief Financial Officer."),
    ("PAGE",),
    ("h2", "5. Liability and insurance"),
    ("p", "5.1 Each party's total aggregate liability under this Agreement in any contract year "
          "is limited to £2,000,000. This limit does not apply to death or personal injury "
          "caused by negligence, or to fraud."),
    ("p", "5.2 The Provider's liability for loss of or damage to the Customer's goods is limited "
          "to the cost value of the goods, up to £2,500 per pallet, and the Conditions of "
          "Carriage and Storage per-tonne limits do not apply to the Customer. Neither party is "
          "liable for loss of profit or other indirect loss."),
    ("p", "5.3 The Provider shall maintain goods in transit insurance of at least £250,000 per "
          "vehicle, warehouse stock insurance of at least £3,000,000, and public liability "
          "insurance of at least £10,000,000."),
    ("h2", "6. Confidentiality"),
    ("p", "Each party shall keep the other's confidential information secret during this "
          "Agreement and for 5 years after it ends."),
    ("h2", "7. Termination"),
    ("p", "7.1 Either party may terminate this Agreement immediately by written notice if the "
          "other commits a material breach that is not remedied within 30 days of a written "
          "notice describing it, or becomes insolvent."),
    ("p", "7.2 The Customer may terminate this Agreement by 60 days' written notice if OTIF is "
          "below 95% in three consecutive months."),
    ("p", "7.3 On expiry or termination the Provider shall give reasonable exit assistance for up "
          "to 3 months, charged at the Schedule 2 rates."),
    ("h2", "8. Notices and law"),
    ("p", "Notices go to: for the Provider, Sunita Varma, Operations Director, at the registered "
          "office (sunita.varma@pellworth.example); for the Customer, Alan Reddish, Head of "
          "Procurement, at the registered office (alan.reddish@brightwaterfoods.example, "
          "01632 960 845). This Agreement is governed by the law of England and Wales."),
    ("p", "Signed for Pellworth Logistics Ltd by Helen Marsh, Chief Executive, on 18 March 2024. "
          "Signed for Brightwater Foods Ltd by Fiona Castellan, Chief Operating Officer, on "
          "18 March 2024."),
]

# --------------------------------------------------------------------------------------
# contracts/corby-warehouse-lease-summary.pdf (2 pages)
# --------------------------------------------------------------------------------------
LEASE = [
    ("h1", "Lease Report: Unit 7, Stanion Road Distribution Park, Corby"),
    ("small", "Prepared for Pellworth Logistics Ltd by Ashworth Kemble LLP, solicitors | "
              "Report date 23 June 2025 | Privileged and confidential"),
    ("p", "This report summarises the principal terms of the lease completed on 20 June 2025 "
          "between Stanion Estates Ltd (the Landlord) and Pellworth Logistics Ltd (the Tenant). "
          "It is a summary only; if it differs from the lease, the lease prevails."),
    ("table", [
        ["Term", "Summary"],
        ["Premises", "Unit 7, Stanion Road Distribution Park, Corby NN17 5ZR: a warehouse of "
                     "92,000 sq ft (8,547 sq m) including 6,000 sq ft of offices, 12 m eaves, "
                     "14 dock levellers, 2 level-access doors, a 2.4-acre yard with 60 trailer "
                     "spaces and 120 car parking spaces. EPC rating B."],
        ["Landlord", "Stanion Estates Ltd (company number 07743120). Asset manager: Victoria "
                     "Hargreaves, 01632 960 731."],
        ["Term", "10 years from and including 24 June 2025, expiring on 23 June 2035. The lease "
                 "is excluded from the security of tenure provisions of the Landlord and "
                 "Tenant Act 1954."],
        ["Rent", "£412,500 a year exclusive of VAT, payable quarterly in advance on the usual "
                 "quarter days (25 March, 24 June, 29 September and 25 December)."],
        ["Rent-free period", "6 months from the start of the term; rent is first payable on "
                             "24 December 2025 (a proportionate payment up to the next "
                             "quarter day)."],
        ["Rent review", "On 24 June 2030, to open market rent, upward only."],
        ["Rent deposit", "£206,250 (six months' rent), held by the Landlord for the first 3 years "
                         "of the term and then released if there are no arrears."],
    ]),
    ("PAGE",),
    ("h2", "Break option"),
    ("p", "The Tenant may end the lease on 24 June 2030 (the break date) by giving the Landlord "
          "not less than 6 months' prior written notice, so notice must be served no later than "
          "24 December 2029. The break is conditional on: (a) the rent due up to the break date "
          "having been paid in full; (b) the Tenant giving vacant possession; and (c) the "
          "Tenant paying a break premium equal to 3 months' rent (£103,125). There is no "
          "Landlord break option."),
    ("h2", "Other principal terms"),
    ("table", [
        ["Term", "Summary"],
        ["Service charge", "Estate service charge, budgeted at £1.10 per sq ft a year for "
                           "2025/26 (about £101,200), covering estate roads, landscaping, "
                           "security patrols and the estate gatehouse."],
        ["Insurance", "The Landlord insures the building; the Tenant repays the premium, "
                      "currently about £0.21 per sq ft a year."],
        ["Repair", "Full repairing obligation, limited to the condition shown in the "
                   "photographic schedule of condition dated 12 June 2025."],
        ["Use", "Storage and distribution (Use Class B8) with ancillary offices, 24 hours a day, "
                "7 days a week."],
        ["Alterations", "Internal non-structural alterations with the Landlord's consent, not "
                        "to be unreasonably withheld. Racking and mezzanines that are not "
                        "structural need no consent. No external alterations."],
        ["Alienation", "Assignment of the whole with consent. No subletting or sharing of part "
                       "except with group companies."],
        ["Yard and vehicles", "HGV movements permitted at all times. Reefer units may run in "
                              "the yard between 06:00 and 22:00 only, because of the noise "
                              "condition in the planning permission."],
    ]),
    ("h2", "Notices"),
    ("p", "Notices to the Landlord must be served at its registered office, 40 Priory Row, "
          "Coventry CV1 5EX, marked for the attention of Victoria Hargreaves. Notices to the "
          "Tenant go to the Company Secretary at Pellworth House, 18 Ferrow Way, Northampton "
          "NN4 7XT. Email is not valid service for a break notice."),
    ("p", "Ashworth Kemble LLP, Real Estate team. Contact: Oliver Sandhu, Partner, "
          "oliver.sandhu@ashworthkemble.example."),
]

# --------------------------------------------------------------------------------------
# policies/data-retention-schedule.docx
# --------------------------------------------------------------------------------------
RETENTION = [
    ("h1", "Data Retention Schedule"),
    ("p", "Pellworth Logistics Ltd | Reference DP-03 | Version 2.0 | Approved 15 April 2025 by "
          "Imogen Pryce, Data Protection Officer | Replaces the 2022 schedule (version 1.3)"),
    ("h2", "1. Purpose"),
    ("p", "UK GDPR requires us to keep personal data for no longer than we need it, while tax, "
          "transport and health and safety law require us to keep some records for minimum "
          "periods. This schedule sets how long each main category of record is kept, who is "
          "responsible for it, and how it is destroyed at the end of the period."),
    ("h2", "2. Principles"),
    ("bullets", [
        "Records are kept for the period below and then destroyed or anonymised, unless a legal "
        "hold applies (section 4).",
        "Periods run from the trigger stated (for example the end of the financial year or the "
        "end of employment), not from the date the record was created.",
        "Backups are not used as an archive: backup copies expire under the IT Backup and "
        "Recovery Standard.",
        "If a record type is not listed, ask the Data Protection Officer before deleting it.",
    ]),
    ("h2", "3. Retention periods"),
    ("h3", "3.1 Finance and contracts"),
    ("table", [
        ["Record", "Retention period", "Owner"],
        ["Accounting records, customer and supplier invoices",
         "7 years from the end of the financial year",
         "Financial Controller"],
        ["Payroll and PAYE records", "6 years from the end of the tax year", "Payroll Manager"],
        ["Customer and supplier contracts",
         "6 years after expiry (12 years if signed as a deed)",
         "Company Secretary"],
    ]),
    ("h3", "3.2 People"),
    ("table", [
        ["Record", "Retention period", "Owner"],
        ["Personnel files", "6 years after employment ends", "HR Director"],
        ["Unsuccessful job applicants' CVs and interview notes",
         "6 months after the recruitment decision",
         "HR Director"],
        ["Right-to-work check copies", "2 years after employment ends", "HR Director"],
        ["Leavers' email mailboxes",
         "90 days after the last working day, then deleted",
         "Head of IT"],
        ["Accident book entries and RIDDOR reports",
         "3 years from the date of the entry",
         "Health and Safety Manager"],
    ]),
    ("h3", "3.3 Operations and vehicles"),
    ("table", [
        ["Record", "Retention period", "Owner"],
        ["Driver tachograph data (vehicle unit and driver card downloads)",
         "2 years (legal minimum 12 months)",
         "Fleet Manager"],
        ["Telematics and GPS vehicle tracking data", "13 months", "Fleet Manager"],
        ["CCTV recordings (depots and vehicle cameras)",
         "31 days, unless needed for an incident or claim",
         "Depot Managers"],
        ["Proof of delivery signatures and photographs",
         "18 months after delivery",
         "Customer Service Manager"],
        ["Chilled temperature logs", "2 years", "Depot Managers"],
        ["Visitor sign-in records", "12 months", "Reception"],
    ]),
    ("h2", "4. Legal holds"),
    ("p", "When a claim, dispute, investigation or inspection is expected, the DPO or the Company "
          "Secretary may place a legal hold on the relevant records. Records under a legal hold "
          "must not be destroyed until the hold is lifted in writing, even if their retention "
          "period has ended. CCTV footage relevant to a goods claim is kept until the claim is "
          "closed."),
    ("h2", "5. Secure disposal"),
    ("p", "Paper records are placed in locked confidential waste bins and destroyed by ShredSure "
          "Ltd, which issues a certificate of destruction for every collection. Hard disks and "
          "phones are wiped by IT using an approved erasure tool or physically destroyed; the "
          "asset register records the date and method."),
    ("h2", "6. Review"),
    ("p", "This schedule is reviewed every April by the Data Protection Officer together with the "
          "record owners listed above."),
    ("h2", "7. Contact"),
    ("p", "Imogen Pryce, Data Protection Officer: dpo@pellworth.example, 01632 960 177."),
]

# --------------------------------------------------------------------------------------
# hr/employee-handbook-leave-and-absence.docx
# --------------------------------------------------------------------------------------
HANDBOOK = [
    ("h1", "Employee Handbook - Section 4: Leave and Absence"),
    ("p", "Pellworth Logistics Ltd | Handbook edition 2025.1 | Effective 1 January 2025 | "
          "Owner: Tom Kellaway, HR Director | Questions: hr@pellworth.example, 01632 960 150"),
    ("h2", "4.1 Annual leave entitlement"),
    ("p", "Full-time employees receive 25 days' paid annual leave plus the eight UK bank "
          "holidays. Entitlement increases with length of service:"),
    ("table", [
        ["Completed years of service", "Annual leave (excluding bank holidays)"],
        ["Less than 3 years", "25 days"],
        ["3 years", "26 days"],
        ["5 years", "27 days"],
        ["10 years or more", "28 days"],
    ]),
    ("p", "Part-time employees receive a pro rata entitlement, including bank holidays. The leave "
          "year runs from 1 January to 31 December. Employees who join or leave part-way "
          "through the year receive a proportionate entitlement."),
    ("h2", "4.2 Booking leave"),
    ("bullets", [
        "Book all leave in the PeopleHub portal. Leave is not confirmed until your manager has "
        "approved it in PeopleHub.",
        "Office staff should give notice of at least twice the length of the leave requested "
        "(for example two weeks' notice for one week of leave).",
        "Warehouse, workshop and driving staff must request any block of more than 5 consecutive "
        "working days at least 4 weeks in advance through the depot rota.",
        "Peak season: operational staff may not take leave between 17 November and 31 December "
        "without the written approval of the Operations Director.",
        "No more than two consecutive weeks may be taken at once without director approval.",
    ]),
    ("h2", "4.3 Carrying leave over"),
    ("p", "Up to 5 days of unused leave may be carried over into the next leave year and must be "
          "taken by 31 March; days carried over and not taken by then are lost. Leave above 5 days "
          "cannot be carried over unless you were prevented from taking it by sickness or family "
          "leave, in which case HR will agree the arrangements with you. Unused leave is not paid "
          "in lieu except when employment ends."),
    ("h2", "4.4 Christmas closure"),
    ("p", "Pellworth House closes between Christmas and New Year. In 2025 the office closure days "
          "are 29, 30 and 31 December; these are additional company days and are not deducted "
          "from annual leave. Depots operate normally, and operational staff who work those days "
          "receive one day off in lieu for each day worked, to be taken by 31 March 2026."),
    ("h2", "4.5 Reporting sickness"),
    ("bullets", [
        "Telephone your line manager - do not text or email - at least 1 hour before your shift "
        "starts. Office staff without a shift should call by 09:00 on the first day of absence.",
        "Keep in touch with your manager each day for the first 3 days, unless agreed otherwise.",
        "For absences of up to 7 calendar days, complete a self-certification form in PeopleHub "
        "on your return.",
        "From the 8th calendar day you need a fit note from a doctor.",
        "Your manager holds a return-to-work meeting with you after every absence.",
    ]),
    ("h2", "4.6 Company sick pay"),
    ("p", "After passing probation, employees receive full basic pay during sickness absence for "
          "up to 4 weeks in any rolling 12-month period. After 2 years' continuous service this "
          "rises to 8 weeks. After that, Statutory Sick Pay only is paid, if you qualify. Three "
          "separate absences, or 8 working days of absence, in a rolling 12-month period trigger "
          "an attendance review meeting with your manager and HR."),
    ("h2", "4.7 Family leave"),
    ("p", "Maternity and adoption leave: employees with at least one year's service by the 15th "
          "week before the expected week of childbirth (or the matching date for adoption) "
          "receive enhanced pay of 100% of basic salary for the first 12 weeks and 50% of basic "
          "salary for the following 14 weeks, inclusive of statutory pay, and then statutory "
          "pay only. Paternity leave: 2 weeks at full pay, to be taken within 8 weeks of the "
          "birth or placement. Shared parental leave follows the statutory scheme."),
    ("h2", "4.8 Compassionate and bereavement leave"),
    ("p", "Up to 5 days' paid leave on the death of a partner, child, parent or sibling, and up to "
          "2 days' paid leave for other relatives or close friends. Parents who lose a child "
          "receive 10 days' paid leave. Managers may agree further paid or unpaid leave."),
    ("h2", "4.9 Other time off"),
    ("bullets", [
        "Jury service: the company pays the difference between your normal basic pay and the "
        "court's loss-of-earnings allowance for up to 10 working days.",
        "Volunteering: one paid day a year for volunteering with a registered charity, agreed "
        "in advance with your manager.",
        "Time off for dependants: reasonable unpaid time off to deal with emergencies involving "
        "dependants.",
        "Medical and dental appointments should be made outside working hours where possible; "
        "otherwise the time is made up or taken as leave. Antenatal appointments are paid.",
    ]),
]

PDFS = {
    "policies/information-security-policy.pdf": (
        INFOSEC, "Information Security Policy", "IT-POL-01 v4.1", datetime(2025, 1, 14, 9, 0)),
    "contracts/brightwater-foods-msa-2024.pdf": (
        MSA, "Master Services Agreement - Brightwater Foods Ltd", "BWF-MSA-2024-01",
        datetime(2024, 3, 18, 11, 0)),
    "contracts/corby-warehouse-lease-summary.pdf": (
        LEASE, "Lease Report - Unit 7 Corby", "Ashworth Kemble LLP ref PEL/0412",
        datetime(2025, 6, 23, 15, 30)),
}
DOCXS = {
    "policies/data-retention-schedule.docx": (
        RETENTION, "Data Retention Schedule", "Imogen Pryce", datetime(2025, 4, 15, 10, 0)),
    "hr/employee-handbook-leave-and-absence.docx": (
        HANDBOOK, "Employee Handbook - Section 4: Leave and Absence", "Tom Kellaway",
        datetime(2024, 12, 2, 14, 0)),
}


def _latin1(text: str, where: str) -> str:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as err:
        raise SystemExit(
            f"{where}: not Latin-1: {text[err.start:err.end]!r} in {text[:60]!r}"
        ) from err
    return text


def build_pdf(path: Path, blocks, title: str, ref: str, when: datetime) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Doc(FPDF):
        def header(self):
            self.set_font("Helvetica", "", 8)
            self.set_text_color(110)
            self.cell(0, 5, f"Pellworth Logistics Ltd - {title}", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)
            self.set_text_color(0)

        def footer(self):
            self.set_y(-14)
            self.set_font("Helvetica", "", 8)
            self.set_text_color(110)
            self.cell(0, 5, f"{ref} - Page {self.page_no()} of {{nb}}", align="C")
            self.set_text_color(0)

    pdf = Doc(format="A4")
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(title)
    pdf.set_author("Pellworth Logistics Ltd")
    pdf.set_subject(ref)
    pdf.set_creator("data/tools/build_corpus_binaries.py")
    pdf.set_producer("fpdf2")
    pdf.set_creation_date(when.replace(tzinfo=UTC))
    pdf.add_page()
    for block in blocks:
        kind = block[0]
        if kind == "PAGE":
            pdf.add_page()
            continue
        body = block[1]
        if kind == "h1":
            pdf.set_font("Helvetica", "B", 16)
            pdf.multi_cell(0, 8, _latin1(body, path.name), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind in ("h2", "h3"):
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 12 if kind == "h2" else 11)
            pdf.multi_cell(0, 6, _latin1(body, path.name), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind in ("p", "small"):
            small = kind == "small"
            pdf.set_font("Helvetica", "I" if small else "", 8.5 if small else 10)
            pdf.multi_cell(0, 5, _latin1(body, path.name), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "bullets":
            pdf.set_font("Helvetica", "", 10)
            for item in body:
                pdf.set_x(pdf.l_margin)
                pdf.cell(5, 5, "-")
                pdf.multi_cell(0, 5, _latin1(item, path.name), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
            pdf.ln(1)
        elif kind == "table":
            pdf.set_font("Helvetica", "", 9)
            ncols = len(body[0])
            widths = (30, 75, 65) if ncols == 3 else (45, 125)
            with pdf.table(col_widths=widths, line_height=4.6, padding=1.2,
                           headings_style=FontFace(emphasis="BOLD")) as table:
                for row in body:
                    r = table.row()
                    for cell in row:
                        r.cell(_latin1(cell, path.name))
            pdf.ln(3)
        else:
            raise ValueError(kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def build_docx(path: Path, blocks, title: str, author: str, when: datetime) -> None:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = when
    props.modified = when
    props.revision = 1
    props.comments = "Pellworth Logistics Ltd - internal"
    for block in blocks:
        kind, body = block[0], block[1] if len(block) > 1 else None
        if kind == "h1":
            document.add_heading(body, level=1)
        elif kind == "h2":
            document.add_heading(body, level=2)
        elif kind == "h3":
            document.add_heading(body, level=3)
        elif kind == "p":
            document.add_paragraph(body)
        elif kind == "bullets":
            for item in body:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            table = document.add_table(rows=0, cols=len(body[0]))
            table.style = "Table Grid"
            for i, row in enumerate(body):
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph("")
        elif kind == "PAGE":
            document.add_page_break()
        else:
            raise ValueError(kind)
    raw = io.BytesIO()
    document.save(raw)
    # python-docx stamps each ZIP entry with the current time: rewrite with a fixed one.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def check() -> None:
    import docx
    from pypdf import PdfReader

    for rel in PDFS:
        reader = PdfReader(str(CORPUS / rel))
        print(f"{rel}: {len(reader.pages)} pages")
        for n, page in enumerate(reader.pages, 1):
            text = page.extract_text() or ""
            words = len(text.split())
            print(f"  page {n}: {words} words; starts {' '.join(text.split()[:12])!r}")
            if words < 50:
                raise SystemExit(f"{rel} page {n}: only {words} words extracted")
    for rel in DOCXS:
        document = docx.Document(str(CORPUS / rel))
        heads = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        words = sum(len(p.text.split()) for p in document.paragraphs) + sum(
            len(c.text.split()) for t in document.tables for r in t.rows for c in r.cells)
        print(f"{rel}: {len(heads)} headings, {len(document.tables)} tables, ~{words} words")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="extract text after writing")
    args = parser.parse_args()
    for rel, (blocks, title, ref, when) in PDFS.items():
        build_pdf(CORPUS / rel, blocks, title, ref, when)
        print("wrote", rel)
    for rel, (blocks, title, author, when) in DOCXS.items():
        build_docx(CORPUS / rel, blocks, title, author, when)
        print("wrote", rel)
    if args.check:
        check()


if __name__ == "__main__":
    main()
