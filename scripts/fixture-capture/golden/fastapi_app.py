"""A FastAPI app instrumented by prometheus-fastapi-instrumentator (handler, status="2xx"),
served by uvicorn; real requests come from load.py."""
import random
import sys
import time

import uvicorn
from fastapi import FastAPI, HTTPException
from prometheus_fastapi_instrumentator import Instrumentator

app = FastAPI()


@app.get("/items/{item_id}")
def item(item_id: int):
    time.sleep(random.lognormvariate(-4, 0.8))
    if item_id > 90:
        raise HTTPException(status_code=404, detail="not found")
    if item_id % 37 == 0:
        raise HTTPException(status_code=500, detail="boom")
    return {"id": item_id}


@app.get("/search")
def search():
    time.sleep(random.lognormvariate(-2, 0.8))
    return {"hits": []}


Instrumentator().instrument(app).expose(app)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
