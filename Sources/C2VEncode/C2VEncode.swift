// C2VEncode
