from offscript.cli import main

raise SystemExit(main())
