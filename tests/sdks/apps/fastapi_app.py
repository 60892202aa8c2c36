"""A customer's FastAPI backend: the helper's ASGI middleware, OpenTelemetry's FastAPI
instrumentation (the ``fastapi`` extra), served by uvicorn."""

import os

import shop
import uvicorn
from fastapi import FastAPI, HTTPException
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from qorrelate_otel.asgi import SessionIdASGIMiddleware

app = FastAPI()
app.add_middleware(SessionIdASGIMiddleware)
FastAPIInstrumentor.instrument_app(app)


@app.get("/cart")
def cart():  # a sync view runs in a worker thread: the session must follow it there
    return shop.load_cart()


@app.post("/checkout")
async def checkout():
    return shop.checkout()


@app.get("/inventory")
def inventory():
    raise HTTPException(status_code=503, detail="inventory service down")


@app.post("/_flush")
def flush():
    return shop.flush()


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")
