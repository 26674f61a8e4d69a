"""Room scan: discovery of the devices on this computer's network, and what each could do."""
