// C2VRender
