// C2VPipeline
