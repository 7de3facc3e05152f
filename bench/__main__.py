from bench.run import main

if __name__ == "__main__":  # the load generator's spawned process imports this module too
    raise SystemExit(main())
