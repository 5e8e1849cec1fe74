from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from latihkerja.agencies.services import load_agencies
from latihkerja.catalog.services import load_catalog
from latihkerja.centers.services import create_default_centers
from latihkerja.regions.services import load_regions


class Command(BaseCommand):
    help = "Load the shipped reference data: regions, agencies, training catalogue, one BLK per kelurahan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update-shipped",
            action="store_true",
            help="also overwrite agencies and themes already loaded with the shipped files (undoes admin edits)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kecamatan, kelurahan = load_regions()
        agencies = load_agencies(update=options["update_shipped"])
        themes = load_catalog(update=options["update_shipped"])
        centers = create_default_centers()
        self.stdout.write(
            f"Reference data: {kecamatan} kecamatan, {kelurahan} kelurahan, {agencies} OPD, "
            f"{themes} training themes, {centers} BLK."
        )
