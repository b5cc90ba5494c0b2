// C2VBuild
