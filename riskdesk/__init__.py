"""riskdesk: offline probabilistic risk and asset-economics modelling."""
__version__ = "0.1.0"
