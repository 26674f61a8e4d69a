"""Privacy walkthroughs: guides as data, progress per device, and checks this computer can make itself."""
