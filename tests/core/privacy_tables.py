"""Tables of made-up Italian people (Faker it_IT) in the shapes clinicians send, for the privacy tests."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

from faker import Faker
from stdnum import luhn

COLUMNS = ["nome", "cognome", "codice_fiscale", "data_nascita", "telefono", "email", "indirizzo", "tessera",
           "iban", "diagnosi", "note"]
# What each planted column must be found as.
EXPECTED = {"nome": "person_name", "cognome": "person_name", "codice_fiscale": "codice_fiscale",
            "data_nascita": "birth_date", "telefono": "phone", "email": "email", "indirizzo": "address",
            "tessera": "health_card", "iban": "iban", "note": "free_text"}
_DIAGNOSES = ["J45.9", "E11.9", "I10", "C50.9", "F32.1", "K21.0"]
_NOTES = ["Paziente stabile, controllo tra tre mesi", "Terapia invariata, rivalutare a gennaio",
          "Esami nella norma, nessuna variazione", "Riferisce dolore lieve dopo la terapia"]


def card_number(rng: random.Random) -> str:
    body = "80380" + "".join(rng.choice("0123456789") for _ in range(14))
    return body + luhn.calc_check_digit(body)


def people(count: int, *, seed: int = 7) -> list[list[str]]:
    fake = Faker("it_IT")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        if index % 10 == 3:  # 10% of the notes carry an identifier inside the text
            note = rng.choice([f"Chiamare al {fake.numerify('33# #######')} per il referto",
                               f"Inviare copia a {fake.email()} entro venerdì",
                               f"Verificare CF {fake.ssn()} con l'anagrafe"])
        else:
            note = rng.choice(_NOTES)
        rows.append([fake.first_name(), fake.last_name(), fake.ssn(), fake.date_of_birth().strftime("%d/%m/%Y"),
                     fake.phone_number(), fake.email(), fake.street_address(), card_number(rng), fake.iban(),
                     rng.choice(_DIAGNOSES), note])
    return rows


def write_csv(path: Path, rows: list[list[str]], *, columns: list[str] = COLUMNS, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[str]], *, columns: list[str] = COLUMNS) -> Path:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("pazienti")
    sheet.append(columns)
    for row in rows:
        cells: list[object] = list(row)
        cells[3] = datetime.strptime(row[3], "%d/%m/%Y")  # a real date cell, as Excel keeps it
        sheet.append(cells)
    book.save(path)
    return path


def write_json(path: Path, rows: list[list[str]], *, columns: list[str] = COLUMNS) -> Path:
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    path.write_text(json.dumps({"records": records}, ensure_ascii=False), encoding="utf-8")
    return path
