extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
smartquotes = False
nitpicky = True
# Notes files are included by the text page, never read as documents of their own.
exclude_patterns = ["notes"]
