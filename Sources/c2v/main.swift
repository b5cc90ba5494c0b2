print("c2v")
