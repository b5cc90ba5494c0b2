// C2VScene
