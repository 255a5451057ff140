"""The README documents every command of the `shuzi` command line, with its options, and no command that is gone."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from flows.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, argparse.ArgumentParser]:
    """Each sub-command of `shuzi` and its parser."""
    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


@pytest.mark.parametrize("command", sorted(commands()))
def test_command_is_in_the_command_reference(command):
    assert re.search(rf"^\| `shuzi {command}\b", README, re.M), f"add `shuzi {command}` to the README's command table"


@pytest.mark.parametrize(("command", "option"), sorted(
    (name, option) for name, parser in commands().items() for action in parser._actions
    for option in action.option_strings if option.startswith("--") and option != "--help"))
def test_option_is_documented_with_its_command(command, option):
    rows = [line for line in README.splitlines() if line.startswith(f"| `shuzi {command}")]
    assert any(option in row for row in rows), f"document {option} in the README row of `shuzi {command}`"


def test_readme_names_no_command_that_does_not_exist():
    code = "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", README, re.M | re.S))
    named = set(re.findall(r"`shuzi ([a-z]+)", README)) | set(re.findall(r"(?:^|&& |/)shuzi ([a-z]+)", code, re.M))
    assert named - set(commands()) == set()
