"""Regenerate names_it.txt from Faker's it_IT person provider (a dev-time step; the app never imports Faker).

    /work/main/.venv/bin/python resources/privacy/make_names.py > resources/privacy/names_it.txt

Names that are also Italian region names, common words or place-name parts are left out, so a column of
places or words is not mistaken for a column of people.
"""

from __future__ import annotations

import sys
import unicodedata

import faker
from faker.providers.person.it_IT import Provider

# Words that are names in Faker's list but also regions, provinces or everyday words in aggregated data.
_EXCLUDE = {
    "abruzzo", "basilicata", "calabria", "campania", "lazio", "liguria", "lombardia", "marche", "molise",
    "piemonte", "puglia", "sardegna", "sicilia", "toscana", "umbria", "veneto", "italia", "roma", "milano",
    "napoli", "torino", "bari", "como", "lecce", "siena", "pisa", "lucca", "trento", "bolzano", "genova",
    "venezia", "ferrara", "parma", "modena", "verona", "padova", "vicenza", "ancona", "pesaro", "terni",
    "ragusa", "trapani", "messina", "catania", "palermo", "sassari", "nuoro", "oristano", "cagliari",
    "salerno", "avellino", "benevento", "caserta", "potenza", "matera", "foggia", "brindisi", "taranto",
    "cosenza", "crotone", "catanzaro", "latina", "frosinone", "rieti", "viterbo", "teramo", "pescara",
    "chieti", "aosta", "biella", "novara", "cuneo", "asti", "alessandria", "savona", "imperia", "spezia",
    "sondrio", "varese", "lecco", "bergamo", "brescia", "cremona", "mantova", "lodi", "pavia", "monza",
    "rovigo", "treviso", "belluno", "udine", "gorizia", "trieste", "pordenone", "rimini", "forli", "ravenna",
    "bologna", "arezzo", "grosseto", "livorno", "prato", "pistoia", "massa", "carrara", "perugia", "isernia",
    "campobasso", "vibo", "reggio", "agrigento", "caltanissetta", "enna", "siracusa", "sud", "nord", "centro",
    "isole", "est", "ovest", "totale", "maschi", "femmine", "valle", "monte", "san", "santa", "santo", "porto",
    "marina", "villa", "rocca", "castel", "castello", "bianco", "nero", "rosso", "verde", "gallo", "conte",
    "papa", "re", "fiore", "sole", "luna", "mare", "pace", "bella", "bello", "grande", "piccolo", "casa",
}  # fmt: skip


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def main() -> None:
    first = sorted({_plain(name) for name in Provider.first_names} - _EXCLUDE)
    last = sorted({_plain(name) for name in Provider.last_names} - _EXCLUDE)
    out = sys.stdout
    out.write(f"# Italian first names and surnames, from Faker {faker.VERSION} (faker/providers/person/it_IT,\n")
    out.write("# MIT licence), lower case without accents; places and common words removed. Regenerate with\n")
    out.write("# resources/privacy/make_names.py. Lines: 'f NAME' (first name) or 's NAME' (surname).\n")
    for name in first:
        out.write(f"f {name}\n")
    for name in last:
        out.write(f"s {name}\n")


if __name__ == "__main__":
    main()
