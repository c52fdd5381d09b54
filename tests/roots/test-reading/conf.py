extensions = ["apparatus"]
smartquotes = False
nitpicky = True
