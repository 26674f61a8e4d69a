"""Bluetooth Low Energy for the room check: trackers, phones and other nearby devices, from what they
broadcast. Passive listening only; nothing here connects to or pairs with a device."""
