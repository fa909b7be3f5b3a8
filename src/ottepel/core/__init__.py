"""The model: state, parameters, random streams, decisions, scenarios, mechanisms and the
monthly step. It knows nothing of storage, analysis or interfaces."""
