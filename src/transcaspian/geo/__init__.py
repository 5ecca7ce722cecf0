"""Seabed geography: bathymetry grids, hazard layers, least-cost routing and the RPL."""
