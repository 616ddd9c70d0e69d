"""End-to-end tests: the built site in a real browser (Playwright and Debian's chromium)."""
