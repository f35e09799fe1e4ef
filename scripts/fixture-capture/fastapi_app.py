"""A FastAPI app instrumented by prometheus-fastapi-instrumentator, served by uvicorn on PORT."""
import sys

import uvicorn
from fastapi import FastAPI, HTTPException
from prometheus_fastapi_instrumentator import Instrumentator

app = FastAPI()


@app.get("/items/{item_id}")
def item(item_id: int):
    if item_id > 100:
        raise HTTPException(status_code=404, detail="not found")
    return {"id": item_id}


Instrumentator().instrument(app).expose(app)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
