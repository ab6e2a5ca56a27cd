"""JSON API under ``/api/v1``: one module per concept, each exposing ``router = APIRouter()``."""
