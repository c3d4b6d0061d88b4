from newsweave.cli import app

app()
