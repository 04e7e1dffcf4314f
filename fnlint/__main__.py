from fnlint.cli import main

main()
