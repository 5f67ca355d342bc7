"""Run KetaRef as `python -m ketaref`; also the PyInstaller bundle's entry point."""

from ketaref.launch import main

if __name__ == "__main__":
    main()
