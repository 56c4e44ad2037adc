from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("channel/<slug:slug>/", views.channel_detail, name="channel"),
    path("article/<int:pk>/", views.article_detail, name="detail"),
    path("search/", views.search, name="search"),
]
