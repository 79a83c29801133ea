"""`inhouse serve`: the FastAPI app (`app`) and its start-up checks (`run`)."""
