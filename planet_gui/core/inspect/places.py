"""Reference places for offline, approximate point -> region lookup.

Each Italian entry is a provincial capital (coordinates as published by Protezione Civile,
github.com/pcm-dpc/COVID-19, CC BY 4.0) or a town added so that mountain valleys and islands far
from their capital still find their region. Foreign entries are towns just across the border (and
Corsica, Malta, Tunisia) so that points outside Italy are not pulled into the nearest Italian
region. A point belongs to the region of its nearest place: a rough Voronoi map of Italy, good to a
few kilometres inside regions and approximate near borders.
"""

from __future__ import annotations

# (latitude, longitude, region) — region as in area.REGIONS
ITALIAN_PLACES: tuple[tuple[float, float, str], ...] = (
    (42.35, 13.40, "Abruzzo"),  # L'Aquila
    (42.66, 13.70, "Abruzzo"),  # Teramo
    (42.46, 14.21, "Abruzzo"),  # Pescara
    (42.35, 14.17, "Abruzzo"),  # Chieti
    (40.64, 15.81, "Basilicata"),  # Potenza
    (40.67, 16.60, "Basilicata"),  # Matera
    (39.29, 16.26, "Calabria"),  # Cosenza
    (38.91, 16.59, "Calabria"),  # Catanzaro
    (38.11, 15.64, "Calabria"),  # Reggio di Calabria
    (39.08, 17.13, "Calabria"),  # Crotone
    (38.68, 16.10, "Calabria"),  # Vibo Valentia
    (41.07, 14.33, "Campania"),  # Caserta
    (41.13, 14.78, "Campania"),  # Benevento
    (40.84, 14.25, "Campania"),  # Napoli
    (40.91, 14.80, "Campania"),  # Avellino
    (40.68, 14.76, "Campania"),  # Salerno
    (45.05, 9.69, "Emilia-Romagna"),  # Piacenza
    (44.80, 10.33, "Emilia-Romagna"),  # Parma
    (44.70, 10.63, "Emilia-Romagna"),  # Reggio nell'Emilia
    (44.65, 10.93, "Emilia-Romagna"),  # Modena
    (44.49, 11.34, "Emilia-Romagna"),  # Bologna
    (44.84, 11.62, "Emilia-Romagna"),  # Ferrara
    (44.42, 12.20, "Emilia-Romagna"),  # Ravenna
    (44.22, 12.04, "Emilia-Romagna"),  # Forlì-Cesena
    (44.06, 12.57, "Emilia-Romagna"),  # Rimini
    (46.06, 13.23, "Friuli Venezia Giulia"),  # Udine
    (45.94, 13.62, "Friuli Venezia Giulia"),  # Gorizia
    (45.65, 13.77, "Friuli Venezia Giulia"),  # Trieste
    (45.95, 12.66, "Friuli Venezia Giulia"),  # Pordenone
    (42.42, 12.10, "Lazio"),  # Viterbo
    (42.40, 12.86, "Lazio"),  # Rieti
    (41.89, 12.48, "Lazio"),  # Roma
    (41.47, 12.90, "Lazio"),  # Latina
    (41.64, 13.35, "Lazio"),  # Frosinone
    (43.89, 8.03, "Liguria"),  # Imperia
    (44.31, 8.48, "Liguria"),  # Savona
    (44.41, 8.93, "Liguria"),  # Genova
    (44.11, 9.83, "Liguria"),  # La Spezia
    (45.82, 8.82, "Lombardia"),  # Varese
    (45.81, 9.09, "Lombardia"),  # Como
    (46.17, 9.87, "Lombardia"),  # Sondrio
    (45.47, 9.19, "Lombardia"),  # Milano
    (45.69, 9.67, "Lombardia"),  # Bergamo
    (45.54, 10.22, "Lombardia"),  # Brescia
    (45.19, 9.16, "Lombardia"),  # Pavia
    (45.13, 10.02, "Lombardia"),  # Cremona
    (45.16, 10.79, "Lombardia"),  # Mantova
    (45.86, 9.39, "Lombardia"),  # Lecco
    (45.31, 9.50, "Lombardia"),  # Lodi
    (45.58, 9.27, "Lombardia"),  # Monza e della Brianza
    (43.91, 12.91, "Marche"),  # Pesaro e Urbino
    (43.62, 13.52, "Marche"),  # Ancona
    (43.30, 13.45, "Marche"),  # Macerata
    (42.85, 13.58, "Marche"),  # Ascoli Piceno
    (43.16, 13.72, "Marche"),  # Fermo
    (41.56, 14.66, "Molise"),  # Campobasso
    (41.59, 14.23, "Molise"),  # Isernia
    (46.50, 11.36, "P.A. Bolzano"),  # Bolzano
    (46.07, 11.12, "P.A. Trento"),  # Trento
    (45.07, 7.68, "Piemonte"),  # Torino
    (45.32, 8.42, "Piemonte"),  # Vercelli
    (45.45, 8.62, "Piemonte"),  # Novara
    (44.39, 7.55, "Piemonte"),  # Cuneo
    (44.90, 8.20, "Piemonte"),  # Asti
    (44.91, 8.62, "Piemonte"),  # Alessandria
    (45.57, 8.05, "Piemonte"),  # Biella
    (45.92, 8.55, "Piemonte"),  # Verbano-Cusio-Ossola
    (41.46, 15.54, "Puglia"),  # Foggia
    (41.13, 16.87, "Puglia"),  # Bari
    (40.47, 17.23, "Puglia"),  # Taranto
    (40.64, 17.95, "Puglia"),  # Brindisi
    (40.35, 18.17, "Puglia"),  # Lecce
    (41.23, 16.30, "Puglia"),  # Barletta-Andria-Trani
    (40.73, 8.56, "Sardegna"),  # Sassari
    (40.32, 9.33, "Sardegna"),  # Nuoro
    (39.22, 9.11, "Sardegna"),  # Cagliari
    (39.90, 8.59, "Sardegna"),  # Oristano
    (39.17, 8.53, "Sardegna"),  # Sud Sardegna
    (38.02, 12.51, "Sicilia"),  # Trapani
    (38.12, 13.36, "Sicilia"),  # Palermo
    (38.19, 15.56, "Sicilia"),  # Messina
    (37.31, 13.58, "Sicilia"),  # Agrigento
    (37.49, 14.06, "Sicilia"),  # Caltanissetta
    (37.57, 14.28, "Sicilia"),  # Enna
    (37.50, 15.09, "Sicilia"),  # Catania
    (36.93, 14.73, "Sicilia"),  # Ragusa
    (37.06, 15.29, "Sicilia"),  # Siracusa
    (44.04, 10.14, "Toscana"),  # Massa Carrara
    (43.84, 10.50, "Toscana"),  # Lucca
    (43.93, 10.92, "Toscana"),  # Pistoia
    (43.77, 11.26, "Toscana"),  # Firenze
    (43.55, 10.31, "Toscana"),  # Livorno
    (43.72, 10.40, "Toscana"),  # Pisa
    (43.47, 11.88, "Toscana"),  # Arezzo
    (43.32, 11.33, "Toscana"),  # Siena
    (42.76, 11.11, "Toscana"),  # Grosseto
    (43.88, 11.10, "Toscana"),  # Prato
    (43.11, 12.39, "Umbria"),  # Perugia
    (42.56, 12.65, "Umbria"),  # Terni
    (45.74, 7.32, "Valle d'Aosta"),  # Aosta
    (45.44, 10.99, "Veneto"),  # Verona
    (45.55, 11.55, "Veneto"),  # Vicenza
    (46.14, 12.22, "Veneto"),  # Belluno
    (45.67, 12.25, "Veneto"),  # Treviso
    (45.43, 12.34, "Veneto"),  # Venezia
    (45.41, 11.88, "Veneto"),  # Padova
    (45.07, 11.79, "Veneto"),  # Rovigo
    # towns far from their provincial capital
    (46.67, 11.16, "P.A. Bolzano"),  # Merano
    (46.72, 11.66, "P.A. Bolzano"),  # Bressanone
    (46.80, 11.94, "P.A. Bolzano"),  # Brunico
    (46.63, 10.77, "P.A. Bolzano"),  # Silandro
    (46.69, 10.55, "P.A. Bolzano"),  # Malles Venosta
    (46.90, 11.43, "P.A. Bolzano"),  # Vipiteno
    (46.99, 12.18, "P.A. Bolzano"),  # Valle Aurina
    (45.89, 11.04, "P.A. Trento"),  # Rovereto
    (46.36, 11.03, "P.A. Trento"),  # Cles
    (46.29, 11.46, "P.A. Trento"),  # Cavalese
    (46.04, 10.73, "P.A. Trento"),  # Tione di Trento
    (46.05, 11.45, "P.A. Trento"),  # Borgo Valsugana
    (46.47, 10.37, "Lombardia"),  # Bormio
    (46.54, 10.14, "Lombardia"),  # Livigno
    (46.32, 9.40, "Lombardia"),  # Chiavenna
    (46.18, 10.33, "Lombardia"),  # Edolo
    (44.99, 9.01, "Lombardia"),  # Voghera
    (46.12, 8.29, "Piemonte"),  # Domodossola
    (45.14, 7.05, "Piemonte"),  # Susa
    (44.88, 7.33, "Piemonte"),  # Pinerolo
    (45.47, 7.88, "Piemonte"),  # Ivrea
    (44.39, 7.82, "Piemonte"),  # Mondovì
    (44.76, 8.79, "Piemonte"),  # Novi Ligure
    (44.53, 7.25, "Piemonte"),  # Valle Varaita
    (45.79, 6.97, "Valle d'Aosta"),  # Courmayeur
    (45.75, 7.62, "Valle d'Aosta"),  # Châtillon
    (45.60, 7.80, "Valle d'Aosta"),  # Pont-Saint-Martin
    (45.61, 7.35, "Valle d'Aosta"),  # Cogne
    (46.54, 12.14, "Veneto"),  # Cortina d'Ampezzo
    (46.56, 12.44, "Veneto"),  # Auronzo di Cadore
    (45.77, 11.73, "Veneto"),  # Bassano del Grappa
    (45.22, 12.28, "Veneto"),  # Chioggia
    (45.19, 11.31, "Veneto"),  # Legnago
    (45.63, 12.57, "Veneto"),  # San Donà di Piave
    (46.51, 13.58, "Friuli Venezia Giulia"),  # Tarvisio
    (46.40, 13.02, "Friuli Venezia Giulia"),  # Tolmezzo
    (45.69, 13.14, "Friuli Venezia Giulia"),  # Lignano Sabbiadoro
    (44.69, 12.18, "Emilia-Romagna"),  # Comacchio
    (44.35, 11.71, "Emilia-Romagna"),  # Imola
    (44.77, 9.39, "Emilia-Romagna"),  # Bobbio
    (43.82, 7.78, "Liguria"),  # Sanremo
    (44.32, 9.32, "Liguria"),  # Chiavari
    (44.05, 8.21, "Liguria"),  # Albenga
    (42.93, 10.53, "Toscana"),  # Piombino
    (42.81, 10.31, "Toscana"),  # Portoferraio
    (42.44, 11.21, "Toscana"),  # Orbetello
    (43.09, 11.78, "Toscana"),  # Montepulciano
    (44.38, 9.88, "Toscana"),  # Pontremoli
    (42.09, 11.80, "Lazio"),  # Civitavecchia
    (41.29, 13.25, "Lazio"),  # Terracina
    (41.49, 13.83, "Lazio"),  # Cassino
    (40.90, 12.96, "Lazio"),  # Ponza
    (42.03, 13.43, "Abruzzo"),  # Avezzano
    (42.05, 13.93, "Abruzzo"),  # Sulmona
    (42.11, 14.71, "Abruzzo"),  # Vasto
    (42.00, 15.00, "Molise"),  # Termoli
    (40.07, 15.63, "Campania"),  # Sapri
    (40.74, 13.94, "Campania"),  # Ischia
    (40.55, 14.24, "Campania"),  # Capri
    (40.23, 15.27, "Campania"),  # Vallo della Lucania
    (41.15, 15.09, "Campania"),  # Ariano Irpino
    (41.88, 16.18, "Puglia"),  # Vieste
    (39.80, 18.36, "Puglia"),  # Santa Maria di Leuca
    (40.06, 17.99, "Puglia"),  # Gallipoli
    (40.83, 16.55, "Puglia"),  # Altamura
    (42.12, 15.50, "Puglia"),  # Isole Tremiti
    (40.05, 15.84, "Basilicata"),  # Lauria
    (40.21, 16.68, "Basilicata"),  # Policoro
    (40.99, 15.65, "Basilicata"),  # Melfi
    (39.82, 16.20, "Calabria"),  # Castrovillari
    (39.58, 16.63, "Calabria"),  # Rossano
    (39.36, 16.04, "Calabria"),  # Paola
    (38.24, 16.26, "Calabria"),  # Locri
    (39.90, 15.78, "Calabria"),  # Praia a Mare
    (35.51, 12.60, "Sicilia"),  # Lampedusa
    (36.83, 11.95, "Sicilia"),  # Pantelleria
    (38.47, 14.95, "Sicilia"),  # Lipari
    (37.07, 14.25, "Sicilia"),  # Gela
    (38.04, 14.02, "Sicilia"),  # Cefalù
    (37.80, 12.44, "Sicilia"),  # Marsala
    (37.51, 13.08, "Sicilia"),  # Sciacca
    (37.85, 15.29, "Sicilia"),  # Taormina
    (38.71, 13.19, "Sicilia"),  # Ustica
    (40.92, 9.50, "Sardegna"),  # Olbia
    (40.56, 8.32, "Sardegna"),  # Alghero
    (39.93, 9.66, "Sardegna"),  # Tortolì
    (39.31, 8.54, "Sardegna"),  # Iglesias
    (41.21, 9.41, "Sardegna"),  # La Maddalena
    (39.14, 8.31, "Sardegna"),  # Carloforte
    (39.14, 9.52, "Sardegna"),  # Villasimius
    (40.84, 8.40, "Sardegna"),  # Porto Torres area
    (43.46, 12.24, "Umbria"),  # Città di Castello
    (42.96, 12.70, "Umbria"),  # Foligno
    (42.72, 12.11, "Umbria"),  # Orvieto
    (42.79, 13.09, "Umbria"),  # Norcia
    (43.73, 12.64, "Marche"),  # Urbino
    (43.34, 12.91, "Marche"),  # Fabriano
    (42.95, 13.88, "Marche"),  # San Benedetto del Tronto
)

# (latitude, longitude, country) just outside Italy
FOREIGN_PLACES: tuple[tuple[float, float, str], ...] = (
    (43.70, 7.27, "France"),  # Nice
    (43.78, 7.50, "France"),  # Menton
    (44.90, 6.64, "France"),  # Briançon
    (45.20, 6.67, "France"),  # Modane
    (45.92, 6.87, "France"),  # Chamonix
    (45.62, 6.77, "France"),  # Bourg-Saint-Maurice
    (44.39, 6.65, "France"),  # Barcelonnette
    (44.10, 7.00, "France"),  # Saint-Martin-Vésubie area
    (45.19, 5.72, "France"),  # Grenoble
    (43.30, 5.37, "France"),  # Marseille
    (41.93, 8.74, "France"),  # Ajaccio (Corsica)
    (42.70, 9.45, "France"),  # Bastia
    (41.39, 9.16, "France"),  # Bonifacio
    (42.57, 8.76, "France"),  # Calvi
    (42.31, 9.15, "France"),  # Corte
    (41.59, 9.28, "France"),  # Porto-Vecchio
    (42.98, 9.38, "France"),  # Cap Corse
    (43.74, 7.42, "Monaco"),
    (46.20, 6.14, "Switzerland"),  # Geneva
    (46.10, 7.07, "Switzerland"),  # Martigny
    (46.23, 7.36, "Switzerland"),  # Sion
    (46.02, 7.75, "Switzerland"),  # Zermatt
    (46.32, 7.99, "Switzerland"),  # Brig
    (46.17, 8.80, "Switzerland"),  # Locarno
    (46.00, 8.95, "Switzerland"),  # Lugano
    (45.87, 8.98, "Switzerland"),  # Mendrisio
    (46.19, 9.02, "Switzerland"),  # Bellinzona
    (46.53, 8.61, "Switzerland"),  # Airolo
    (46.85, 9.53, "Switzerland"),  # Chur
    (46.50, 9.84, "Switzerland"),  # St. Moritz
    (46.32, 10.06, "Switzerland"),  # Poschiavo
    (46.70, 10.09, "Switzerland"),  # Zernez
    (46.63, 10.45, "Switzerland"),  # Müstair
    (46.95, 7.45, "Switzerland"),  # Bern
    (47.37, 8.54, "Switzerland"),  # Zürich
    (46.89, 10.50, "Austria"),  # Nauders
    (47.14, 10.57, "Austria"),  # Landeck
    (46.97, 11.01, "Austria"),  # Sölden
    (47.27, 11.39, "Austria"),  # Innsbruck
    (47.05, 11.50, "Austria"),  # Steinach am Brenner
    (47.17, 11.86, "Austria"),  # Mayrhofen
    (46.83, 12.77, "Austria"),  # Lienz
    (46.62, 13.37, "Austria"),  # Hermagor
    (46.61, 13.85, "Austria"),  # Villach
    (46.62, 14.31, "Austria"),  # Klagenfurt
    (46.48, 13.79, "Slovenia"),  # Kranjska Gora
    (46.34, 13.55, "Slovenia"),  # Bovec
    (46.18, 13.73, "Slovenia"),  # Tolmin
    (45.96, 13.65, "Slovenia"),  # Nova Gorica
    (45.71, 13.87, "Slovenia"),  # Sežana
    (45.55, 13.73, "Slovenia"),  # Koper
    (46.06, 14.51, "Slovenia"),  # Ljubljana
    (45.43, 13.52, "Croatia"),  # Umag
    (44.87, 13.85, "Croatia"),  # Pula
    (45.33, 14.44, "Croatia"),  # Rijeka
    (44.12, 15.23, "Croatia"),  # Zadar
    (43.51, 16.44, "Croatia"),  # Split
    (43.05, 16.18, "Croatia"),  # Vis
    (42.65, 18.09, "Croatia"),  # Dubrovnik
    (42.44, 19.26, "Montenegro"),  # Podgorica
    (41.32, 19.45, "Albania"),  # Durrës
    (40.47, 19.49, "Albania"),  # Vlorë
    (39.62, 19.92, "Greece"),  # Corfu
    (35.90, 14.51, "Malta"),  # Valletta
    (36.04, 14.24, "Malta"),  # Gozo
    (36.81, 10.18, "Tunisia"),  # Tunis
    (37.27, 9.87, "Tunisia"),  # Bizerte
    (36.85, 11.09, "Tunisia"),  # Kelibia
    (43.94, 12.45, "San Marino"),
    (47.14, 9.52, "Liechtenstein"),  # Vaduz
)
