"""Prefect flows and the `shuzi` command line; they wire the steps and hold no logic of their own."""
