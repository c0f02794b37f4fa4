"""French article-enrichment service: cleaning, entities, IPTC topics, keyphrases, summaries."""
