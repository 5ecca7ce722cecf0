"""Power feeding of repeatered designs: line current, conductor IR drop, repeater drops,
earth-potential allowance and the PFE voltage for single- and double-end feeding.

Pure physics on numbers: it depends on neither the optics nor the economics packages.
"""
