"""Card templates, one module per family: facts, choices, arguments, quotes, definitions."""
