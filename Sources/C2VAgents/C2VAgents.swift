// C2VAgents
