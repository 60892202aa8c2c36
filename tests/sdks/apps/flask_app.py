"""A customer's Flask backend: the helper's WSGI middleware, OpenTelemetry's Flask
instrumentation (the ``flask`` extra), served by Flask's threaded development server."""

import os

import shop
from flask import Flask, jsonify
from opentelemetry.instrumentation.flask import FlaskInstrumentor

from qorrelate_otel.wsgi import SessionIdWSGIMiddleware

app = Flask(__name__)
FlaskInstrumentor().instrument_app(app)
app.wsgi_app = SessionIdWSGIMiddleware(app.wsgi_app)


@app.get("/cart")
def cart():
    return jsonify(shop.load_cart())


@app.post("/checkout")
def checkout():
    return jsonify(shop.checkout())


@app.get("/inventory")
def inventory():
    raise RuntimeError("inventory service down")  # Flask answers 500


@app.post("/_flush")
def flush():
    return jsonify(shop.flush())


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True)
