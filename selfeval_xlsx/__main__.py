from selfeval_xlsx.cli import main

main()
