"""HTML pages: one module per concept, each exposing ``router = APIRouter()``."""
