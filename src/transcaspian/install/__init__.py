"""The install stage: burial by risk (CBRA), the installation schedule in a landlocked sea, the
permit register and the ready-for-service (RFS) date distribution."""
