"""The broadcast family: SCC (CEA-608), EBU-STL, Avid DS and what they share."""
