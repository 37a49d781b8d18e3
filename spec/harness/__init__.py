"""The machinery between the properties and the implementation under test."""
