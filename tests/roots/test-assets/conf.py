extensions = ["apparatus", "sphinx_design"]
smartquotes = False
nitpicky = True
html_theme = "furo"
