extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
smartquotes = False
nitpicky = True
