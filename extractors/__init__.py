"""Pure functions from document text to records; each module handles one concern."""
