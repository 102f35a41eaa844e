from shipcaptaincrew.cli import main

main()
