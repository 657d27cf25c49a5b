import os
import sys

# The launcher is a single file under src/main/python.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "main", "python"))
