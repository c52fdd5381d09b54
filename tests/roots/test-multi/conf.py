extensions = ["apparatus", "apparatus.web", "apparatus.pdf", "apparatus.exports"]
smartquotes = False
nitpicky = True
# This edition labels its notes by letter and number (a1, b1).
apparatus_label_pattern = "[a-z][0-9]+"
