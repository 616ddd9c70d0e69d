"""Playbook: plans and playbooks as code, as a command (`playbook`) and an MkDocs plugin (`playbook`)."""

__version__ = "0.2.0"
