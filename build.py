"""Barometer of social integration: thin entry point.

python build.py            build the site into site/
python build.py check      validate all inputs
python build.py fetch      download missing inputs
python build.py --help     everything else
"""

from barometer.cli import main

if __name__ == "__main__":
    main()
