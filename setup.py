"""Build shim for ``scrapyd-deploy``, which runs ``python setup.py bdist_egg`` (and would write a
setup.py of its own without the data files); the configuration is in pyproject.toml."""

from setuptools import setup

setup()
